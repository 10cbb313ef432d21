//! `logscan._logscan`: the engine behind the `logscan` Python package.
//!
//! Every report crosses into Python as the `logscan/report@1` JSON text that `logscan scan
//! --format json` writes (docs/json.md), which `logscan/__init__.py` turns into a `dict`: the
//! Python API and the CLI cannot drift apart. The GIL is released while an engine compiles rules
//! or scans. This module never prints and never exits: failures are Python exceptions carrying
//! the message the CLI would print.

use std::path::PathBuf;

use logscan_engine::engine::Error as BuildError;
use logscan_engine::ruletest::{self, RunOptions};
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;

create_exception!(
    _logscan,
    LogscanError,
    PyException,
    "An engine could not be built: a rule file does not compile, a rules folder cannot be read, an unknown time zone."
);

/// A compiled rule set, reused for many scans (rules compile once).
#[pyclass(frozen, module = "logscan._logscan")]
struct Engine {
    inner: logscan_engine::Engine,
}

#[pymethods]
impl Engine {
    #[new]
    #[pyo3(signature = (*, rules = Vec::new(), builtin = true, tz = None, redact = true))]
    fn new(
        py: Python<'_>,
        rules: Vec<PathBuf>,
        builtin: bool,
        tz: Option<String>,
        redact: bool,
    ) -> PyResult<Engine> {
        let inner = py
            .allow_threads(|| build(&rules, builtin, tz, redact))
            .map_err(|error| LogscanError::new_err(build_message(error)))?;
        Ok(Engine { inner })
    }

    /// Scans files and folders as one bundle; the report as JSON text.
    fn scan_paths(&self, py: Python<'_>, paths: Vec<PathBuf>) -> PyResult<String> {
        py.allow_threads(|| {
            let paths: Vec<&std::path::Path> = paths.iter().map(PathBuf::as_path).collect();
            json(&self.inner.scan_paths(&paths).report)
        })
    }

    /// Scans bytes as a file named `name` would be scanned (`.zip`, `.tar.gz` and `.gz`
    /// unpacked); the report as JSON text.
    fn scan_bytes(&self, py: Python<'_>, name: &str, data: &[u8]) -> PyResult<String> {
        py.allow_threads(|| json(&self.inner.scan_bytes(name, data)))
    }

    /// The ids of the compiled rules, in load order.
    fn rule_ids(&self) -> Vec<String> {
        self.inner
            .rules()
            .rules
            .iter()
            .map(|rule| rule.id.clone())
            .collect()
    }
}

/// Runs the rule tests (`<rule>.test.yaml`) under `dirs`; the report as JSON text
/// (`logscan rules test --format json`).
#[pyfunction]
#[pyo3(signature = (dirs, *, builtin = false))]
fn rules_test(py: Python<'_>, dirs: Vec<PathBuf>, builtin: bool) -> PyResult<String> {
    py.allow_threads(|| {
        let dirs: Vec<&std::path::Path> = dirs.iter().map(PathBuf::as_path).collect();
        let options = RunOptions {
            builtin,
            verbose: false,
            filter: None,
        };
        serde_json::to_string(&ruletest::run(&dirs, options).to_json())
            .map_err(|error| LogscanError::new_err(error.to_string()))
    })
}

fn build(
    rules: &[PathBuf],
    builtin: bool,
    tz: Option<String>,
    redact: bool,
) -> Result<logscan_engine::Engine, BuildError> {
    let mut builder = logscan_engine::Engine::builder().redact(redact);
    if builtin {
        builder = builder.builtin_rules();
    }
    for dir in rules {
        builder = builder.rules_dir(dir.clone());
    }
    if let Some(zone) = tz {
        builder = builder.tz(zone);
    }
    builder.build()
}

/// The message `logscan` prints for a failed build (every rule error, rendered).
fn build_message(error: BuildError) -> String {
    match error {
        BuildError::Rules(errors) => errors
            .iter()
            .map(|error| error.render(false))
            .collect::<Vec<_>>()
            .join("\n"),
        other => other.to_string(),
    }
}

fn json(report: &logscan_engine::Report) -> PyResult<String> {
    serde_json::to_string(report).map_err(|error| LogscanError::new_err(error.to_string()))
}

#[pymodule]
fn _logscan(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<Engine>()?;
    module.add_function(wrap_pyfunction!(rules_test, module)?)?;
    module.add("LogscanError", module.py().get_type::<LogscanError>())?;
    Ok(())
}
