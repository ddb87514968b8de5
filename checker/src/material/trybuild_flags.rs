//! The flags the material's trybuild tests compile with.
//!
//! trybuild compiles its dependencies once with its own flags, then again with
//! `--diagnostic-width=140` added, which doubles a cold run. Cargo lets
//! `CARGO_ENCODED_RUSTFLAGS` override flags given as `--config`, so setting trybuild's
//! complete flag list makes both steps, and every package's trybuild test, share one
//! dependency build. The flags are trybuild's own (1.0.x): the diagnostics are the same as
//! without this.

/// trybuild's flags, complete.
pub const TRYBUILD_RUSTFLAGS: &[&str] = &[
    "--cfg",
    "trybuild",
    "--verbose",
    "-A",
    "dead_code",
    "--diagnostic-width=140",
];

/// [`TRYBUILD_RUSTFLAGS`] as `CARGO_ENCODED_RUSTFLAGS` spells them (separated by 0x1f).
pub fn encoded() -> String {
    TRYBUILD_RUSTFLAGS.join("\x1f")
}
