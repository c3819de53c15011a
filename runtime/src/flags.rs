//! `[Flags]` enums: bit sets whose named members can be combined.
//!
//! ServiceStack marks an enum with .NET's `[Flags]` attribute as `isEnumInt` (ServiceStack.Text
//! writes such an enum as its integer value, `JsWriter.WriteEnumFlags`), and every combination
//! of members is a valid value. Generated code declares each one as a tuple struct over `i64`
//! with a constant per member, implements [`Flags`] (the members with their .NET names), and
//! calls [`flags!`](crate::flags!) for the rest: `contains`, `|`, `&`, `^`, `-`, [`iter`](Iter)
//! over the members that are set, a `Debug` that names them, and serde. Bits the contract does
//! not name are kept, never dropped, so a value a newer server sends is written back unchanged.
//!
//! On the wire it is a JSON integer. Reading also accepts the integer as a string (`"3"`) and
//! the comma-separated member names (`"Read, Write"`, case-insensitive), the form .NET's
//! `Enum.ToString()` gives and `System.Text.Json` writes with its string enum converter. In a
//! query string it is the integer.
//!
//! ```
//! /// What a user may do.
//! #[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
//! pub struct Permissions(i64);
//!
//! impl Permissions {
//!     pub const NONE: Self = Self(0);
//!     pub const READ: Self = Self(1);
//!     pub const WRITE: Self = Self(2);
//!     pub const DELETE: Self = Self(4);
//! }
//!
//! impl ssdto::flags::Flags for Permissions {
//!     const MEMBERS: &'static [(&'static str, Self)] = &[
//!         ("None", Self::NONE),
//!         ("Read", Self::READ),
//!         ("Write", Self::WRITE),
//!         ("Delete", Self::DELETE),
//!     ];
//!
//!     fn bits(&self) -> i64 {
//!         self.0
//!     }
//!
//!     fn from_bits_retain(bits: i64) -> Self {
//!         Self(bits)
//!     }
//! }
//!
//! ssdto::flags!(Permissions);
//!
//! let p = Permissions::READ | Permissions::WRITE;
//! assert!(p.contains(Permissions::READ));
//! assert_eq!(p.bits(), 3);
//! assert_eq!(format!("{p:?}"), "Permissions(Read | Write)");
//! assert_eq!(serde_json::to_string(&p).unwrap(), "3");
//! let back: Permissions = serde_json::from_str(r#""Read, Write""#).unwrap();
//! assert_eq!(back, p);
//! let unknown: Permissions = serde_json::from_str("9").unwrap();
//! assert_eq!(unknown.iter().collect::<Vec<_>>(), [Permissions::READ, Permissions::from_bits_retain(8)]);
//! assert_eq!(serde_json::to_string(&unknown).unwrap(), "9");
//! ```

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, Visitor};

/// A `[Flags]` enum: a bit set with named members. [`flags!`](crate::flags!) implements the
/// operators, `Debug` and serde for a type that implements this.
pub trait Flags: Copy + Sized + 'static {
    /// Every named member with its .NET name, in contract order.
    const MEMBERS: &'static [(&'static str, Self)];

    /// The value's bits.
    fn bits(&self) -> i64;

    /// A value with exactly these bits, named or not.
    fn from_bits_retain(bits: i64) -> Self;

    /// The member with this .NET name (case-insensitive), as `Enum.Parse` finds it.
    fn from_name(name: &str) -> Option<Self> {
        let name = name.trim();
        Self::MEMBERS
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|&(_, member)| member)
    }
}

/// The members set in a value, then any bits no member names, as one value. Members are chosen
/// as .NET's `Enum.ToString()` chooses them for a `[Flags]` enum: from the largest value down,
/// each one whose bits are all still unclaimed; they are yielded smallest first, as .NET lists
/// them.
#[derive(Debug, Clone)]
pub struct Iter<F> {
    chosen: Vec<i64>,
    next: usize,
    rest: i64,
    of: PhantomData<F>,
}

impl<F: Flags> Iter<F> {
    /// The members of `value`.
    pub fn new(value: F) -> Self {
        let mut values: Vec<i64> = F::MEMBERS
            .iter()
            .map(|(_, m)| m.bits())
            .filter(|&b| b != 0)
            .collect();
        // .NET sorts an enum's values as unsigned numbers.
        values.sort_unstable_by_key(|&b| b as u64);
        values.dedup();
        let mut rest = value.bits();
        let mut chosen = Vec::new();
        for &b in values.iter().rev() {
            if rest & b == b {
                chosen.push(b);
                rest &= !b;
            }
        }
        chosen.reverse();
        Iter {
            chosen,
            next: 0,
            rest,
            of: PhantomData,
        }
    }
}

impl<F: Flags> Iterator for Iter<F> {
    type Item = F;

    fn next(&mut self) -> Option<F> {
        if let Some(&bits) = self.chosen.get(self.next) {
            self.next += 1;
            return Some(F::from_bits_retain(bits));
        }
        if self.rest != 0 {
            let rest = std::mem::take(&mut self.rest);
            return Some(F::from_bits_retain(rest));
        }
        None
    }
}

/// `Name(A | B | 0x8)`, or the zero member's name (else `0x0`) for an empty value.
pub fn fmt_debug<F: Flags>(value: &F, type_name: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    write!(f, "{type_name}(")?;
    let bits = value.bits();
    if bits == 0 {
        match F::MEMBERS.iter().find(|(_, m)| m.bits() == 0) {
            Some((name, _)) => f.write_str(name)?,
            None => f.write_str("0x0")?,
        }
        return f.write_str(")");
    }
    for (i, member) in Iter::new(*value).enumerate() {
        if i > 0 {
            f.write_str(" | ")?;
        }
        let b = member.bits();
        match F::MEMBERS.iter().find(|(_, m)| m.bits() == b) {
            Some((name, _)) => f.write_str(name)?,
            None => write!(f, "{b:#x}")?,
        }
    }
    f.write_str(")")
}

/// Reads a flags value from an integer, an integer in a string, or comma-separated member
/// names (each may also be an integer); a name the contract does not define is an error,
/// since there is no number to keep for it.
pub fn deserialize<'de, D: Deserializer<'de>, F: Flags>(deserializer: D) -> Result<F, D::Error> {
    struct FlagsVisitor<F>(PhantomData<F>);

    impl<F: Flags> Visitor<'_> for FlagsVisitor<F> {
        type Value = F;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a flags value as an integer or comma-separated member names")
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<F, E> {
            Ok(F::from_bits_retain(v))
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<F, E> {
            // A `ulong` enum's top bit: the same 64 bits.
            Ok(F::from_bits_retain(v as i64))
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<F, E> {
            let mut bits = 0i64;
            for part in v.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                bits |= match part.parse::<i64>() {
                    Ok(n) => n,
                    Err(_) => match F::from_name(part) {
                        Some(member) => member.bits(),
                        None => return Err(E::invalid_value(de::Unexpected::Str(part), &self)),
                    },
                };
            }
            Ok(F::from_bits_retain(bits))
        }
    }

    deserializer.deserialize_any(FlagsVisitor(PhantomData))
}

/// Implements the rest of a `[Flags]` enum for a type that implements
/// [`Flags`](crate::flags::Flags): inherent `empty`, `from_bits_retain`, `bits`, `is_empty`,
/// `contains`, `intersects`, `insert`, `remove`, `iter` and `from_name`; `Debug` (naming the
/// members); `|`, `&`, `^`, `-` (difference) and their assigning forms; `FromIterator`; and
/// serde as an integer (see the [module docs](mod@crate::flags)).
#[macro_export]
macro_rules! flags {
    ($name:ty) => {
        #[allow(dead_code)]
        impl $name {
            /// No bits set.
            pub fn empty() -> Self {
                <Self as $crate::flags::Flags>::from_bits_retain(0)
            }

            /// A value with exactly these bits, named or not.
            pub fn from_bits_retain(bits: i64) -> Self {
                <Self as $crate::flags::Flags>::from_bits_retain(bits)
            }

            /// The bits, as written on the wire.
            pub fn bits(self) -> i64 {
                <Self as $crate::flags::Flags>::bits(&self)
            }

            /// Whether no bit is set.
            pub fn is_empty(self) -> bool {
                self.bits() == 0
            }

            /// Whether every bit of `other` is set in `self`.
            pub fn contains(self, other: Self) -> bool {
                self.bits() & other.bits() == other.bits()
            }

            /// Whether any bit of `other` is set in `self`.
            pub fn intersects(self, other: Self) -> bool {
                self.bits() & other.bits() != 0
            }

            /// Sets the bits of `other`.
            pub fn insert(&mut self, other: Self) {
                *self = Self::from_bits_retain(self.bits() | other.bits());
            }

            /// Clears the bits of `other`.
            pub fn remove(&mut self, other: Self) {
                *self = Self::from_bits_retain(self.bits() & !other.bits());
            }

            /// The members that are set, then any bits no member names.
            pub fn iter(self) -> $crate::flags::Iter<Self> {
                $crate::flags::Iter::new(self)
            }

            /// The member with this .NET name (case-insensitive).
            pub fn from_name(name: &str) -> ::core::option::Option<Self> {
                <Self as $crate::flags::Flags>::from_name(name)
            }
        }

        impl ::core::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                $crate::flags::fmt_debug(self, stringify!($name), f)
            }
        }

        impl ::core::ops::BitOr for $name {
            type Output = Self;
            fn bitor(self, other: Self) -> Self {
                Self::from_bits_retain(self.bits() | other.bits())
            }
        }

        impl ::core::ops::BitAnd for $name {
            type Output = Self;
            fn bitand(self, other: Self) -> Self {
                Self::from_bits_retain(self.bits() & other.bits())
            }
        }

        impl ::core::ops::BitXor for $name {
            type Output = Self;
            fn bitxor(self, other: Self) -> Self {
                Self::from_bits_retain(self.bits() ^ other.bits())
            }
        }

        impl ::core::ops::Sub for $name {
            type Output = Self;
            fn sub(self, other: Self) -> Self {
                Self::from_bits_retain(self.bits() & !other.bits())
            }
        }

        impl ::core::ops::BitOrAssign for $name {
            fn bitor_assign(&mut self, other: Self) {
                *self = *self | other;
            }
        }

        impl ::core::ops::BitAndAssign for $name {
            fn bitand_assign(&mut self, other: Self) {
                *self = *self & other;
            }
        }

        impl ::core::ops::BitXorAssign for $name {
            fn bitxor_assign(&mut self, other: Self) {
                *self = *self ^ other;
            }
        }

        impl ::core::ops::SubAssign for $name {
            fn sub_assign(&mut self, other: Self) {
                *self = *self - other;
            }
        }

        impl ::core::iter::FromIterator<$name> for $name {
            fn from_iter<I: ::core::iter::IntoIterator<Item = $name>>(iter: I) -> Self {
                iter.into_iter().fold(Self::empty(), |all, f| all | f)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.bits())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::flags::deserialize(deserializer)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    /// File permissions.
    #[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
    struct Perms(i64);

    impl Perms {
        const NONE: Self = Self(0);
        const READ: Self = Self(1);
        const WRITE: Self = Self(2);
        const EXECUTE: Self = Self(4);
        /// A named combination.
        const READ_WRITE: Self = Self(3);
    }

    impl super::Flags for Perms {
        const MEMBERS: &'static [(&'static str, Self)] = &[
            ("None", Self::NONE),
            ("Read", Self::READ),
            ("Write", Self::WRITE),
            ("Execute", Self::EXECUTE),
            ("ReadWrite", Self::READ_WRITE),
        ];

        fn bits(&self) -> i64 {
            self.0
        }

        fn from_bits_retain(bits: i64) -> Self {
            Self(bits)
        }
    }

    crate::flags!(Perms);

    #[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
    struct NoZero(i64);

    impl super::Flags for NoZero {
        const MEMBERS: &'static [(&'static str, Self)] = &[("A", NoZero(1))];

        fn bits(&self) -> i64 {
            self.0
        }

        fn from_bits_retain(bits: i64) -> Self {
            Self(bits)
        }
    }

    crate::flags!(NoZero);

    #[test]
    fn operators_and_queries() {
        let mut p = Perms::READ | Perms::EXECUTE;
        assert!(p.contains(Perms::READ));
        assert!(!p.contains(Perms::READ_WRITE));
        assert!(p.intersects(Perms::READ_WRITE));
        assert_eq!((p & Perms::EXECUTE), Perms::EXECUTE);
        assert_eq!((p ^ Perms::READ), Perms::EXECUTE);
        assert_eq!((p - Perms::READ), Perms::EXECUTE);
        p.insert(Perms::WRITE);
        assert_eq!(p.bits(), 7);
        p.remove(Perms::READ_WRITE);
        assert_eq!(p, Perms::EXECUTE);
        p |= Perms::READ;
        p &= Perms::READ;
        assert_eq!(p, Perms::READ);
        p ^= Perms::READ;
        assert!(p.is_empty());
        assert_eq!(Perms::default(), Perms::empty());
        let all: Perms = [Perms::READ, Perms::WRITE].into_iter().collect();
        assert_eq!(all, Perms::READ_WRITE);
        assert_eq!(Perms::from_name(" readwrite "), Some(Perms::READ_WRITE));
        assert_eq!(Perms::from_name("Nope"), None);
    }

    #[test]
    fn iter_and_debug_follow_dotnet_to_string() {
        // .NET takes `Execute` (4), then `ReadWrite` (3) rather than `Read` and `Write`, and
        // lists them smallest first.
        let p = Perms::from_bits_retain(7);
        assert_eq!(
            p.iter().collect::<Vec<_>>(),
            [Perms::READ_WRITE, Perms::EXECUTE]
        );
        assert_eq!(format!("{p:?}"), "Perms(ReadWrite | Execute)");
        let unknown = Perms::from_bits_retain(1 | 16 | 32);
        assert_eq!(
            unknown.iter().collect::<Vec<_>>(),
            [Perms::READ, Perms::from_bits_retain(48)]
        );
        assert_eq!(format!("{unknown:?}"), "Perms(Read | 0x30)");
        assert_eq!(format!("{:?}", Perms::NONE), "Perms(None)");
        assert_eq!(format!("{:?}", NoZero::empty()), "NoZero(0x0)");
        assert_eq!(Perms::NONE.iter().count(), 0);
    }

    #[test]
    fn json_is_an_integer_and_reads_names() {
        let p = Perms::READ | Perms::EXECUTE;
        assert_eq!(serde_json::to_string(&p).unwrap(), "5");
        for text in [
            "5",
            r#""5""#,
            r#""Read, Execute""#,
            r#""execute,read""#,
            r#""1, 4""#,
        ] {
            assert_eq!(serde_json::from_str::<Perms>(text).unwrap(), p, "{text}");
        }
        // Unknown bits survive a round trip.
        let odd: Perms = serde_json::from_str("1024").unwrap();
        assert_eq!(serde_json::to_string(&odd).unwrap(), "1024");
        assert_eq!(serde_json::from_str::<Perms>(r#""""#).unwrap(), Perms::NONE);
        assert!(serde_json::from_str::<Perms>(r#""Read, Fly""#).is_err());
        assert!(serde_json::from_str::<Perms>("true").is_err());
    }

    #[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase", default)]
    struct Req {
        perms: Perms,
        maybe: Option<Perms>,
    }

    #[test]
    fn query_strings_carry_the_integer() {
        let req = Req {
            perms: Perms::READ | Perms::WRITE,
            maybe: Some(Perms::EXECUTE),
        };
        let query = crate::query::to_query_string(&req, &[]).unwrap();
        assert_eq!(query, "perms=3&maybe=4");
        let json = serde_json::to_string(&req).unwrap();
        assert_eq!(serde_json::from_str::<Req>(&json).unwrap(), req);
    }
}
