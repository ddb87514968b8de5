//! Proofs of what parking_lot's `send_guard` feature changes; the proofs are its tests.
