//! The exit code of a command that reads many inputs (issue #13).
//!
//! Scripts and cron jobs re-run the same command on the same input, so the rule looks at
//! whether the inputs could be *read*, not at whether anything new came of them: a record
//! already stored, or a page that is not an article, was read. Bad records are reported
//! (in the summary and on standard error) without failing the run, unless `--strict`.

use std::process::ExitCode;

/// How many inputs of a run were read and how many could not be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Outcome {
    /// Inputs read: stored, already stored, skipped as not articles, or printed.
    pub(crate) read: u64,
    /// Inputs that could not be read or extracted.
    pub(crate) failed: u64,
}

impl Outcome {
    /// 0 when nothing failed, or when something was read and the run is not `strict`;
    /// 1 when inputs failed and none at all could be read, or on any failure when
    /// `strict`. (2, bad usage, is decided before anything is read.)
    pub(crate) fn exit_code(self, strict: bool) -> ExitCode {
        let failed = self.failed > 0 && (strict || self.read == 0);
        if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(read: u64, failed: u64, strict: bool) -> ExitCode {
        Outcome { read, failed }.exit_code(strict)
    }

    #[test]
    fn a_rerun_that_adds_nothing_succeeds() {
        // Everything already stored, two records without text: read, so 0.
        assert_eq!(code(2690, 2, false), ExitCode::SUCCESS);
        assert_eq!(code(0, 0, false), ExitCode::SUCCESS);
        assert_eq!(code(0, 0, true), ExitCode::SUCCESS);
    }

    #[test]
    fn nothing_readable_or_strict_fails() {
        assert_eq!(code(0, 3, false), ExitCode::FAILURE);
        assert_eq!(code(10, 1, true), ExitCode::FAILURE);
        assert_eq!(code(10, 0, true), ExitCode::SUCCESS);
    }
}
