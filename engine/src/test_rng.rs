//! A fixed pseudo-random sequence (xorshift64) for the tests that sweep many generated inputs.

/// The generator; the same seed gives the same sequence on every run.
pub(crate) struct Xorshift(u64);

impl Xorshift {
    /// A generator starting from `seed` (not zero).
    pub(crate) fn new(seed: u64) -> Self {
        Xorshift(seed)
    }

    /// The next number of the sequence.
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}
