//! Lint attributes generated code needs: `clippy::type_complexity` fires on the deeply nested
//! types real contracts have (`Dictionary<String,List<KeyValuePair<String,Guid?>>>`), which the
//! contract, not the user, chose; such a field (or impl) gets an `allow`, nothing else does.

use crate::model::Ty;

/// clippy's default `type-complexity-threshold`.
const THRESHOLD: u64 = 250;

/// How far the spelled type may score above the resolved one: a chrono field's
/// `chrono::DateTime<chrono::FixedOffset>` has a generic argument its `Ty` does not.
const SPELLING_MARGIN: u64 = 100;

/// The attribute that allows `clippy::type_complexity`.
pub(super) const ALLOW: &str = "#[allow(clippy::type_complexity)]";

/// Whether the type, `ty` spelled as `text`, scores over clippy's threshold and so needs
/// [`ALLOW`]. The resolved type is scored first, so only the rare deep type is read back from
/// its text.
pub(super) fn too_complex(ty: &Ty, text: &str) -> bool {
    ty_score(ty, 1) + SPELLING_MARGIN > THRESHOLD && score(text.as_bytes(), &mut 0, 1) > THRESHOLD
}

/// [`score`] of a resolved type: every `Ty` is spelled as one path type.
fn ty_score(ty: &Ty, nest: u64) -> u64 {
    10 * nest + ty.children().map(|t| ty_score(t, nest + 1)).sum::<u64>()
}

/// Scores a spelled type as clippy's `type_complexity` does: every path type adds ten times its
/// nesting depth (the outermost is depth 1), its generic arguments one level deeper. Emit
/// spells every type as a path, so `text` is one path (from `*at`), with its arguments.
fn score(text: &[u8], at: &mut usize, nest: u64) -> u64 {
    let mut total = 10 * nest;
    while let Some(&c) = text.get(*at) {
        match c {
            b'<' => {
                *at += 1;
                loop {
                    while text.get(*at) == Some(&b' ') {
                        *at += 1;
                    }
                    total += score(text, at, nest + 1);
                    match text.get(*at) {
                        Some(b',') => *at += 1,
                        Some(b'>') => {
                            *at += 1;
                            break;
                        }
                        _ => break,
                    }
                }
            }
            b',' | b'>' => break,
            _ => *at += 1,
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complex(text: &str) -> bool {
        score(text.as_bytes(), &mut 0, 1) > THRESHOLD
    }

    #[test]
    fn resolved_types_score_as_spelled() {
        let s = || Box::new(Ty::Prim("String"));
        let deep = Ty::Option(Box::new(Ty::Map(
            s(),
            Box::new(Ty::Vec(Box::new(Ty::Runtime(
                "ssdto::KeyValuePair",
                vec![Ty::Prim("String"), Ty::Option(Box::new(Ty::Json))],
            )))),
        )));
        assert_eq!(ty_score(&deep, 1), 290);
        let text =
            "Option<HashMap<String, Vec<ssdto::KeyValuePair<String, Option<serde_json::Value>>>>>";
        assert!(too_complex(&deep, text));
        assert!(!too_complex(&Ty::Option(s()), "Option<String>"));
    }

    #[test]
    fn scores_like_clippy() {
        // 10 + 20 + 30 = 60.
        assert_eq!(score(b"Option<Vec<String>>", &mut 0, 1), 60);
        // 10 + 20 + 30 + 7 * 40 = 340.
        assert!(complex(
            "Option<Vec<ssdto::Tuple7<i64, u64, f32, f64, f64, String, String>>>"
        ));
        // 10 + 20 + 30 + 30 + 40 + 50 + 50 + 60 = 290.
        assert!(complex(
            "Option<HashMap<String, Vec<ssdto::KeyValuePair<String, Option<ssdto::wire::Guid>>>>>"
        ));
    }
}
