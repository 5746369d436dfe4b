//! A private PostgreSQL server for one test: its own data directory under a temporary
//! folder, loopback only, a port chosen at run time, stopped when dropped.
//!
//! The binaries are PostgreSQL 15's (Debian's package puts them in
//! /usr/lib/postgresql/15/bin; `LEDE_PG_BIN` names another folder). Run as root, as CI
//! does, the server runs as the `postgres` user (it refuses root). A machine without the
//! binaries fails the test with a message saying so: these tests are never skipped.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

pub(crate) struct TestPostgres {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
    as_postgres: bool,
}

impl TestPostgres {
    pub(crate) fn start() -> TestPostgres {
        let bin = std::env::var_os("LEDE_PG_BIN")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("/usr/lib/postgresql/15/bin"));
        assert!(
            bin.join("initdb").exists(),
            "no PostgreSQL server binaries in {} (install Debian's postgresql-15, or set LEDE_PG_BIN)",
            bin.display()
        );
        let as_postgres = is_root();
        // The postgres user must reach the folder: under /tmp, not a $TMPDIR that may sit
        // in root's home.
        let builder = tempfile::Builder::new().prefix("lede-pg-test").clone();
        let dir = if as_postgres { builder.tempdir_in("/tmp") } else { builder.tempdir() }.unwrap();
        if as_postgres {
            chown_to_postgres(dir.path());
        }
        let data = dir.path().join("data");
        run(
            as_postgres,
            Command::new(bin.join("initdb")).arg("-D").arg(&data).args([
                "-U",
                "lede",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ]),
        );
        // A port that was free a moment ago; another process may take it in between, so
        // try a few.
        for _ in 0..5 {
            let port = free_port();
            let options = format!(
                "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50",
                dir.path().display()
            );
            let started = run_status(
                as_postgres,
                Command::new(bin.join("pg_ctl"))
                    .arg("-D")
                    .arg(&data)
                    .args(["-o", &options, "-l"])
                    .arg(dir.path().join("log"))
                    .args(["-w", "-t", "60", "start"]),
            );
            if started {
                return TestPostgres { dir, bin, port, as_postgres };
            }
        }
        let log = std::fs::read_to_string(dir.path().join("log")).unwrap_or_default();
        panic!("PostgreSQL did not start; its log:\n{log}");
    }

    /// A URL for a new database of its own (`createdb`).
    pub(crate) fn database(&self, name: &str) -> String {
        let url = format!("postgresql://lede@127.0.0.1:{}/postgres", self.port);
        let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        client.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
        self.database_url(name)
    }

    /// The URL of database `name`.
    pub(crate) fn database_url(&self, name: &str) -> String {
        format!("postgresql://lede@127.0.0.1:{}/{name}", self.port)
    }
}

impl TestPostgres {
    /// Restarts the server abruptly (`pg_ctl restart -m immediate`: no clean shutdown,
    /// recovery from the write-ahead log on start), on the same port.
    #[allow(dead_code)]
    pub(crate) fn restart_immediate(&self) {
        run(
            self.as_postgres,
            Command::new(self.bin.join("pg_ctl"))
                .arg("-D")
                .arg(self.dir.path().join("data"))
                // The log as at start: without it the new server would write to this
                // command's output, which would then never end.
                .arg("-l")
                .arg(self.dir.path().join("log"))
                .args(["-m", "immediate", "-w", "-t", "60", "restart"]),
        );
    }
}

impl Drop for TestPostgres {
    fn drop(&mut self) {
        run_status(
            self.as_postgres,
            Command::new(self.bin.join("pg_ctl"))
                .arg("-D")
                .arg(self.dir.path().join("data"))
                .args(["-m", "immediate", "-w", "stop"]),
        );
    }
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

fn chown_to_postgres(dir: &Path) {
    let status = Command::new("chown").arg("postgres:postgres").arg(dir).status().unwrap();
    assert!(status.success(), "cannot give {} to the postgres user", dir.display());
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn command(as_postgres: bool, cmd: &mut Command) -> Command {
    if !as_postgres {
        let mut c = Command::new(cmd.get_program());
        c.args(cmd.get_args());
        return c;
    }
    let mut c = Command::new("runuser");
    c.args(["-u", "postgres", "--"]).arg(cmd.get_program()).args(cmd.get_args());
    c
}

fn run(as_postgres: bool, cmd: &mut Command) {
    let out = command(as_postgres, cmd).output().unwrap();
    assert!(
        out.status.success(),
        "{:?} failed: {}{}",
        cmd,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn run_status(as_postgres: bool, cmd: &mut Command) -> bool {
    command(as_postgres, cmd).output().is_ok_and(|o| o.status.success())
}
