//! Framework types: turning a row of the .NET type table ([`crate::dotnet`]) into a [`Ty`].

use super::Ty;
use crate::dotnet::{Entry, Target};

/// The runtime's tuple types by arity.
const TUPLES: [&str; 7] = [
    "ssdto::Tuple1",
    "ssdto::Tuple2",
    "ssdto::Tuple3",
    "ssdto::Tuple4",
    "ssdto::Tuple5",
    "ssdto::Tuple6",
    "ssdto::Tuple7",
];

/// The Rust type for a framework type with (already mapped) generic arguments. Missing
/// arguments (older servers write ``List`1[]`` without them) read as any JSON.
pub(super) fn ty(entry: &Entry, args: Vec<Ty>) -> Ty {
    let arity = args.len();
    let mut args = args.into_iter();
    let mut arg = || Box::new(args.next().unwrap_or(Ty::Json));
    match entry.target {
        Target::Prim(p) => Ty::Prim(p),
        Target::Wire(kind) => Ty::Wire(kind),
        Target::Json | Target::Nothing => Ty::Json,
        Target::Bytes => Ty::Bytes,
        Target::Runtime(path) => {
            let wanted = entry.arity.1;
            Ty::Runtime(path, (0..wanted).map(|_| *arg()).collect())
        }
        Target::Tuple => {
            let n = arity.clamp(1, TUPLES.len());
            Ty::Runtime(TUPLES[n - 1], (0..n).map(|_| *arg()).collect())
        }
        Target::List => Ty::Vec(arg()),
        Target::JsonList => Ty::Vec(Box::new(Ty::Json)),
        Target::StringList => Ty::Vec(Box::new(Ty::Prim("String"))),
        Target::Map => {
            let key = arg();
            Ty::Map(key, arg())
        }
        Target::JsonMap => Ty::Map(Box::new(Ty::Prim("String")), Box::new(Ty::Json)),
        Target::StringMap => Ty::Map(Box::new(Ty::Prim("String")), Box::new(Ty::Prim("String"))),
        Target::Nullable => Ty::Option(arg()),
        Target::Unwrap => *arg(),
    }
}

/// Whether a base class makes its subclass travel as a collection: ServiceStack.Text writes
/// any `IEnumerable` as a JSON array and any `IDictionary` as an object
/// (`JsWriter.GetCoreWriteFn`), whatever properties the subclass adds.
pub(super) fn is_collection(entry: &Entry) -> bool {
    matches!(
        entry.target,
        Target::List
            | Target::JsonList
            | Target::StringList
            | Target::Map
            | Target::JsonMap
            | Target::StringMap
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dotnet::lookup;

    fn map(name: &str, args: Vec<Ty>) -> Ty {
        let entry = lookup(name, args.len()).unwrap_or_else(|| panic!("{name}"));
        ty(entry, args)
    }

    #[test]
    fn rows_become_their_rust_types() {
        let s = || Ty::Prim("String");
        let i = || Ty::Prim("i32");
        assert_eq!(map("Int32", vec![]), i());
        assert_eq!(map("HashSet", vec![i()]), Ty::Vec(Box::new(i())));
        assert_eq!(map("ArrayList", vec![]), Ty::Vec(Box::new(Ty::Json)));
        assert_eq!(map("NameValueCollection", vec![]), Ty::Vec(Box::new(s())));
        assert_eq!(
            map("SortedDictionary", vec![s(), i()]),
            Ty::Map(Box::new(s()), Box::new(i()))
        );
        assert_eq!(
            map("Hashtable", vec![]),
            Ty::Map(Box::new(s()), Box::new(Ty::Json))
        );
        assert_eq!(
            map("KeyValuePair", vec![s(), i()]),
            Ty::Runtime("ssdto::KeyValuePair", vec![s(), i()])
        );
        assert_eq!(
            map("ValueTuple", vec![i(), s(), i()]),
            Ty::Runtime("ssdto::Tuple3", vec![i(), s(), i()])
        );
        assert_eq!(map("Nullable", vec![i()]), Ty::Option(Box::new(i())));
        assert_eq!(map("Task", vec![s()]), s());
        assert_eq!(map("Stream", vec![]), Ty::Bytes);
        assert_eq!(map("Version", vec![]), Ty::Json);
        // Missing arguments (``List`1`` alone) read as any JSON.
        assert_eq!(map("List", vec![]), Ty::Vec(Box::new(Ty::Json)));
        assert!(is_collection(lookup("List", 1).unwrap()));
        assert!(!is_collection(lookup("Task", 1).unwrap()));
    }
}
