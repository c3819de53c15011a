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
