//! TeX to MathML with math-core, within bounds a hostile page cannot break.
//!
//! math-core's parser is recursive: every level of nesting (`{`, `\frac`, `\sqrt`, `\left`,
//! `\begin`, `^`, ...) costs about 1 KiB of stack in an optimised build, and a deep enough
//! formula overflows the stack, which aborts the process (no panic to catch). Each level needs
//! at least one of `{`, `\`, `^` or `_`, so counting those bounds the depth from above without
//! parsing. A formula with few of them is converted where it is; a larger one on a thread
//! whose stack fits its worst case, which the size cap keeps bounded.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::LazyLock;

use math_core::{LatexError, LatexToMathML, MathCoreConfig, MathDisplay};

/// The longest formula converted. Real formulas are well under 2 KiB (a long `aligned`
/// derivation); math-core takes about 5 ms for this many bytes and writes about ten times as
/// many.
pub(crate) const MAX_FORMULA_BYTES: usize = 32 * 1024;

/// Formulas with at most this many possible nesting levels run on the caller's stack (at
/// about 1 KiB a level, a quarter of a MiB; rayon's threads have 2 MiB).
const ON_CALLER_STACK: usize = 256;

/// Stack for a formula converted on a thread of its own: a base plus, per possible level,
/// several times what math-core was measured to use (so an unoptimised build fits too).
const THREAD_STACK_BASE: usize = 1 << 20;
const THREAD_STACK_PER_LEVEL: usize = 8 << 10;

/// Commands math-core 0.5 lacks that hand-written LaTeX often has, defined with ones it has.
const MACROS: &[(&str, &str)] = &[
    // TeX's negative thin space (−3mu).
    ("!", r"\hspace{-0.1667em}"),
    ("negthinspace", r"\hspace{-0.1667em}"),
    // Upright text, as `\text` in math mode.
    ("textrm", r"\text"),
];

/// The converter, built once: math-core parses the macro definitions when it is made.
static CONVERTER: LazyLock<Option<LatexToMathML>> = LazyLock::new(|| {
    let config = MathCoreConfig {
        macros: MACROS
            .iter()
            .map(|(name, body)| (name.to_string(), body.to_string()))
            .collect(),
        ..MathCoreConfig::default()
    };
    LatexToMathML::new(config).ok()
});

/// Why a formula has no MathML.
#[derive(Debug)]
pub(super) enum Failure {
    /// Longer than [`MAX_FORMULA_BYTES`].
    TooLong,
    /// math-core's own error, with its byte range in the formula.
    Parse(Box<LatexError>),
    /// math-core panicked, or no thread could be started for a deep formula.
    Crashed,
}

/// The MathML for `tex` exactly as math-core writes it.
pub(super) fn convert(tex: &str, display: bool) -> Result<String, Failure> {
    if tex.len() > MAX_FORMULA_BYTES {
        return Err(Failure::TooLong);
    }
    let levels = tex
        .bytes()
        .filter(|b| matches!(b, b'{' | b'\\' | b'^' | b'_'))
        .count();
    if levels <= ON_CALLER_STACK {
        return guarded(tex, display);
    }
    let stack = THREAD_STACK_BASE + levels * THREAD_STACK_PER_LEVEL;
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("sheaf-math".into())
            .stack_size(stack)
            .spawn_scoped(scope, || guarded(tex, display))
            .map_or(Err(Failure::Crashed), |thread| {
                thread.join().unwrap_or(Err(Failure::Crashed))
            })
    })
}

/// Whether math-core knows `\name` (for "did you mean"): anything but "unknown command".
pub(super) fn knows_command(name: &str) -> bool {
    let probe = format!("\\{name}");
    !matches!(guarded(&probe, false), Err(Failure::Parse(e)) if e.error_message().starts_with("Unknown command"))
}

/// One conversion; a panic inside math-core becomes [`Failure::Crashed`].
fn guarded(tex: &str, display: bool) -> Result<String, Failure> {
    let converter = CONVERTER.as_ref().ok_or(Failure::Crashed)?;
    let display = if display {
        MathDisplay::Block
    } else {
        MathDisplay::Inline
    };
    match catch_unwind(AssertUnwindSafe(|| {
        converter.convert_with_local_counter(tex, display)
    })) {
        Ok(Ok(mathml)) => Ok(mathml),
        Ok(Err(error)) => Err(Failure::Parse(error)),
        Err(_) => Err(Failure::Crashed),
    }
}
