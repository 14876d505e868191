//! The harness of the tests that run the `interdict` binary: the shared data, and commands on
//! a store. The CLI's test files include it as `mod binary;`.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// A file or directory of `../shared/data`.
pub(crate) fn shared(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(relative)
}

#[allow(dead_code, reason = "not every test file passes paths as arguments")]
pub(crate) fn path_str(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

/// `interdict --db DB`, ready for its arguments. A Postgres database gets an audit key file
/// of its own (in the temporary directory, named after the database), shared by every
/// process a test runs on it, as replicas share theirs.
pub(crate) fn interdict(db: impl AsRef<OsStr>) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_interdict"));
    let db = db.as_ref();
    if let Some(database) = db
        .to_str()
        .filter(|url| url.starts_with("postgres"))
        .and_then(|url| url.rsplit('/').next())
    {
        let key = std::env::temp_dir().join(format!("{database}.audit-key"));
        command.arg("--audit-key-file").arg(key);
    }
    command.arg("--db").arg(db);
    command
}

/// The stdout of a command that must have succeeded.
pub(crate) fn stdout_of_success(args: &[&str], output: Output) -> String {
    assert!(
        output.status.success(),
        "interdict {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("utf-8 stdout")
}

/// A temporary directory holding a fresh SQLite store, where commands run.
#[allow(dead_code, reason = "the serve tests run on stores of their own")]
pub(crate) struct Env {
    pub(crate) dir: tempfile::TempDir,
}

#[allow(dead_code, reason = "each test file uses some of these")]
impl Env {
    pub(crate) fn new() -> Env {
        Env {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    pub(crate) fn db(&self) -> PathBuf {
        self.dir.path().join("interdict.db")
    }

    pub(crate) fn run(&self, args: &[&str]) -> Output {
        interdict(self.db())
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .expect("run interdict")
    }

    /// Runs a command that must succeed and returns its stdout.
    pub(crate) fn ok(&self, args: &[&str]) -> String {
        stdout_of_success(args, self.run(args))
    }

    /// Runs a command that must fail and returns its stderr.
    pub(crate) fn fails(&self, args: &[&str]) -> String {
        let output = self.run(args);
        assert!(!output.status.success(), "interdict {args:?} should fail");
        String::from_utf8(output.stderr).expect("utf-8 stderr")
    }

    pub(crate) fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).expect("JSON output")
    }

    pub(crate) fn json_lines(&self, args: &[&str]) -> Vec<Value> {
        self.ok(args)
            .lines()
            .map(|l| serde_json::from_str(l).expect("JSON line"))
            .collect()
    }

    /// Writes a file into the directory and returns its path.
    pub(crate) fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        path
    }
}
