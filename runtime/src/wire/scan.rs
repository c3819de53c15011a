//! A byte cursor shared by the parsers, so each reports positions and errors the same way.

use super::WireError;

pub(super) struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
    what: &'static str,
}

impl<'a> Scanner<'a> {
    pub(super) fn new(text: &'a str, what: &'static str) -> Self {
        Self {
            bytes: text.as_bytes(),
            pos: 0,
            what,
        }
    }

    pub(super) fn pos(&self) -> usize {
        self.pos
    }

    pub(super) fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    pub(super) fn at_end(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    /// Consumes `byte` if it is next.
    pub(super) fn eat(&mut self, byte: u8) -> bool {
        if self.peek() == Some(byte) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Consumes the next byte if it is one of `set`, returning it.
    pub(super) fn eat_any(&mut self, set: &[u8]) -> Option<u8> {
        let b = self.peek().filter(|b| set.contains(b))?;
        self.pos += 1;
        Some(b)
    }

    pub(super) fn expect(&mut self, byte: u8, expected: &'static str) -> Result<(), WireError> {
        if self.eat(byte) {
            Ok(())
        } else {
            Err(self.syntax(expected))
        }
    }

    pub(super) fn syntax(&self, expected: &'static str) -> WireError {
        WireError::Syntax {
            what: self.what,
            expected,
            position: self.pos,
        }
    }

    pub(super) fn out_of_range(&self, component: &'static str) -> WireError {
        WireError::OutOfRange {
            what: self.what,
            component,
        }
    }

    pub(super) fn finish(&self) -> Result<(), WireError> {
        if self.at_end() {
            Ok(())
        } else {
            Err(WireError::Trailing {
                what: self.what,
                position: self.pos,
            })
        }
    }

    /// Exactly `n` ASCII digits (n <= 9, so the value fits in u32); an error points at the
    /// first of them.
    pub(super) fn fixed_digits(
        &mut self,
        n: usize,
        expected: &'static str,
    ) -> Result<u32, WireError> {
        let start = self.pos;
        let mut value = 0u32;
        for _ in 0..n {
            match self.peek() {
                Some(b @ b'0'..=b'9') => {
                    value = value * 10 + u32::from(b - b'0');
                    self.pos += 1;
                }
                _ => {
                    self.pos = start;
                    return Err(self.syntax(expected));
                }
            }
        }
        Ok(value)
    }

    /// One or more ASCII digits as a u64; `component` names it if it overflows.
    pub(super) fn number(
        &mut self,
        expected: &'static str,
        component: &'static str,
    ) -> Result<u64, WireError> {
        let start = self.pos;
        let mut value = 0u64;
        while let Some(b @ b'0'..=b'9') = self.peek() {
            value = value
                .checked_mul(10)
                .and_then(|v| v.checked_add(u64::from(b - b'0')))
                .ok_or_else(|| self.out_of_range(component))?;
            self.pos += 1;
        }
        if self.pos == start {
            return Err(self.syntax(expected));
        }
        Ok(value)
    }

    /// One or more digits after a decimal point, as nanoseconds; digits past the ninth are
    /// read but dropped (.NET writes at most seven).
    pub(super) fn fraction_nanos(&mut self) -> Result<u32, WireError> {
        let start = self.pos;
        let mut nanos = 0u32;
        let mut scale = 100_000_000u32;
        while let Some(b @ b'0'..=b'9') = self.peek() {
            nanos += u32::from(b - b'0') * scale;
            scale /= 10;
            self.pos += 1;
        }
        if self.pos == start {
            return Err(self.syntax("a digit after the decimal point"));
        }
        Ok(nanos)
    }
}

/// Writes nanoseconds as a fraction `.5`, `.1234567`, without trailing zeros; nothing for 0.
pub(super) fn write_fraction(f: &mut std::fmt::Formatter<'_>, nanos: u32) -> std::fmt::Result {
    if nanos == 0 {
        return Ok(());
    }
    let mut digits = 9;
    let mut n = nanos;
    while n % 10 == 0 {
        n /= 10;
        digits -= 1;
    }
    write!(f, ".{n:0digits$}")
}
