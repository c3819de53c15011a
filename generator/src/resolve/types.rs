//! Type mapping: .NET type text to a Rust [`Ty`]. This is the one file that reads the .NET
//! type table ([`crate::dotnet`]) and knows which ServiceStack types the runtime provides.

use std::collections::HashMap;

use super::Resolver;
use crate::dotnet::{self, Entry, Target};
use crate::error::Error;
use crate::model::{Body, Response, Ty};
use crate::parse::MetadataPropertyType;
use crate::typetext::{self, TypeText};

/// ServiceStack's own types that the runtime crate provides, by contract name (generic ones
/// with their arity, as MetadataTypes writes them). A contract that defines them (in the
/// `ServiceStack` namespace, or none) does not get its own copy; references to them, and
/// references to them that the contract does not define, become the runtime's type. Types that
/// inherit one still get its members inlined from the contract's definition.
const RUNTIME_TYPES: &[(&str, &str)] = &[
    ("ResponseStatus", "ssdto::ResponseStatus"),
    ("ResponseError", "ssdto::ResponseError"),
    ("QueryBase", "ssdto::QueryBase"),
    ("QueryDb`1", "ssdto::QueryDb"),
    ("QueryResponse`1", "ssdto::QueryResponse"),
    ("Authenticate", "ssdto::Authenticate"),
    ("AuthenticateResponse", "ssdto::AuthenticateResponse"),
    ("IdResponse", "ssdto::IdResponse"),
    ("EmptyResponse", "ssdto::EmptyResponse"),
];

pub(super) fn runtime_type(name: &str, namespace: Option<&str>) -> Option<&'static str> {
    if !matches!(namespace, None | Some("ServiceStack")) {
        return None;
    }
    RUNTIME_TYPES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, path)| *path)
}

/// Whether a contract's type definition is a framework type the table describes (a ``Task`1``
/// or `Byte[]` response, a tuple, a compiler-generated closure), which is not generated.
pub(super) fn is_framework_definition(name: &str, namespace: Option<&str>) -> bool {
    dotnet::is_framework_definition(name, namespace)
}

/// What an undefined base class is to the type that inherits it.
pub(super) enum FrameworkBase {
    /// A .NET collection: the subclass travels as it.
    Collection,
    /// Another framework type: no members to inherit.
    Other,
}

/// The framework type a base class names, if the table has it.
pub(super) fn framework_base(text: &TypeText) -> Option<FrameworkBase> {
    let arity = text.arity.unwrap_or(text.args.len());
    let entry = dotnet::lookup(&text.name, arity)?;
    Some(if text.array_rank > 0 || is_collection(entry) {
        FrameworkBase::Collection
    } else {
        FrameworkBase::Other
    })
}

impl Resolver<'_> {
    /// Maps .NET type text to a Rust type. `namespace` is the one the contract gives for the
    /// outermost type, if any, which tells apart types of one name.
    pub(super) fn map(
        &self,
        tt: &TypeText,
        generics: &[String],
        value_type: bool,
        path: &str,
        namespace: Option<&str>,
    ) -> Result<Ty, Error> {
        let mut ty = self.map_element(tt, generics, value_type, path, namespace)?;
        for _ in 0..tt.array_rank {
            // `Byte[]` is base64 text (the table's `Byte[]` row), other arrays are lists.
            ty = if tt.array_rank == 1 && matches!(ty, Ty::Prim("u8")) {
                Ty::Bytes
            } else {
                Ty::Vec(Box::new(ty))
            };
        }
        Ok(ty)
    }

    fn map_element(
        &self,
        tt: &TypeText,
        generics: &[String],
        value_type: bool,
        path: &str,
        namespace: Option<&str>,
    ) -> Result<Ty, Error> {
        let name = tt.name.as_str();
        if tt.args.is_empty() && generics.iter().any(|g| g == name) {
            return Ok(Ty::Param(name.to_owned()));
        }
        let arity = tt.arity.unwrap_or(tt.args.len());
        let key = match arity {
            0 => std::borrow::Cow::Borrowed(name),
            n => std::borrow::Cow::Owned(format!("{name}`{n}")),
        };
        let args = || -> Result<Vec<Ty>, Error> {
            tt.args
                .iter()
                .map(|a| self.map(a, generics, false, path, None))
                .collect()
        };
        // The contract's own definition wins over a framework type of the same name, unless
        // the reference names the framework's namespace (`System.String` beside a contract's
        // own `String`).
        let framework = namespace.is_some_and(|ns| ns == "System" || ns.starts_with("System."))
            && dotnet::lookup(name, arity).is_some();
        let own = self
            .lookup
            .find(&key, namespace)
            .filter(|&i| !framework || self.sources[i].ty.namespace.as_deref() == namespace);
        if let Some(i) = own {
            if let Some(runtime) = self.sources[i].runtime {
                return Ok(Ty::Runtime(runtime, args()?));
            }
            if self.polymorphic[i] {
                return Ok(Ty::Json);
            }
            return Ok(match self.ids[i] {
                Some(id) => Ty::Named(id, args()?),
                None => Ty::External(self.rust_names[i].clone(), args()?),
            });
        }
        if self.interfaces.contains(key.as_ref()) {
            return Ok(Ty::Json);
        }
        // A ServiceStack type the contract only names is the runtime's.
        if let Some(runtime) = runtime_type(&key, None) {
            return Ok(Ty::Runtime(runtime, args()?));
        }
        if let Some(entry) = dotnet::lookup(name, arity) {
            return Ok(framework_ty(entry, args()?));
        }
        let alias = self
            .fallback
            .alias(&tt.name, &tt.to_string(), path, value_type);
        Ok(Ty::Named(alias, Vec::new()))
    }

    /// The framework type a response names, if the contract does not define the name.
    fn framework_entry(&self, tt: &TypeText) -> Option<&'static dotnet::Entry> {
        let arity = tt.arity.unwrap_or(tt.args.len());
        let key = match arity {
            0 => tt.name.clone(),
            n => format!("{}`{n}", tt.name),
        };
        if tt.array_rank > 0 || self.lookup.contains(&key) {
            return None;
        }
        dotnet::lookup(&tt.name, arity)
    }

    /// What an operation answers and how the body travels, from its response type text:
    /// ``Task`1`` and ``ValueTask`1`` are their result, a bare `Task` is nothing, a `string`
    /// is the text itself and `byte[]`, `Stream` and the like the raw bytes
    /// (`HttpResponseExtensionsInternal.WriteToResponse`).
    pub(super) fn response(&self, tt: &TypeText, path: &str) -> Result<(Response, Body), Error> {
        let mut tt = tt;
        while let Some(entry) = self.framework_entry(tt) {
            match entry.target {
                dotnet::Target::Unwrap => match tt.args.first() {
                    Some(inner) => tt = inner,
                    None => return Ok((Response::Typed(Ty::Json), Body::Dto)),
                },
                dotnet::Target::Nothing => return Ok((Response::Void, Body::Dto)),
                _ => break,
            }
        }
        let body = match self.framework_entry(tt) {
            Some(entry) => entry.body,
            None if tt.array_rank == 1 && tt.name.eq_ignore_ascii_case("byte") => Body::Bytes,
            None => Body::Dto,
        };
        let ty = match body {
            Body::Bytes => Ty::Bytes,
            Body::Text => Ty::Prim("String"),
            Body::Dto => self.map(tt, &[], false, path, None)?,
        };
        Ok((Response::Typed(ty), body))
    }
}

/// A type name with its separate generic arguments, as type text.
pub(super) fn parse_type_name(
    name: &str,
    args: Option<&[String]>,
    path: &str,
) -> Result<TypeText, Error> {
    typetext::parse_with_args(name, args.unwrap_or_default()).map_err(|source| Error::TypeText {
        path: path.to_owned(),
        source,
    })
}

/// Required iff `isRequired`, or a value type that is not ``Nullable`1``.
pub(super) fn is_required(prop: &MetadataPropertyType, text: &TypeText) -> bool {
    prop.is_required == Some(true)
        || prop.data_member.as_ref().and_then(|d| d.is_required) == Some(true)
        || (prop.is_value_type == Some(true) && !(text.name == "Nullable" && text.array_rank == 0))
}

/// Replaces type parameters by their arguments.
pub(super) fn substitute(tt: &TypeText, subs: &HashMap<String, TypeText>) -> TypeText {
    if subs.is_empty() {
        return tt.clone();
    }
    if tt.args.is_empty() && tt.arity.is_none() {
        if let Some(arg) = subs.get(&tt.name) {
            let mut out = arg.clone();
            out.array_rank += tt.array_rank;
            return out;
        }
    }
    TypeText {
        args: tt.args.iter().map(|a| substitute(a, subs)).collect(),
        ..tt.clone()
    }
}

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
fn framework_ty(entry: &Entry, args: Vec<Ty>) -> Ty {
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
fn is_collection(entry: &Entry) -> bool {
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
    use crate::model::{ItemKind, Response};
    use crate::resolve::testing::{fields, named, space};

    fn map(name: &str, args: Vec<Ty>) -> Ty {
        let entry = lookup(name, args.len()).unwrap_or_else(|| panic!("{name}"));
        framework_ty(entry, args)
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

    #[test]
    fn optionality_follows_the_servicestack_rule() {
        let s = space(
            r#"{"types":[{"name":"A","properties":[
                {"name":"S","type":"String"},
                {"name":"R","type":"String","isRequired":true},
                {"name":"N","type":"Int32","isValueType":true},
                {"name":"O","type":"Nullable`1","genericArgs":["Int32"],"isValueType":true},
                {"name":"Q","type":"Nullable`1","genericArgs":["Int32"],"isValueType":true,"isRequired":true}
            ]}]}"#,
        )
        .unwrap();
        let f = fields(&s, "A");
        let opt = |t: &str| {
            Ty::Option(Box::new(Ty::Prim(match t {
                "s" => "String",
                _ => "i32",
            })))
        };
        assert_eq!(f[0].ty, opt("s"));
        assert_eq!(f[1].ty, Ty::Prim("String"));
        assert_eq!(f[2].ty, Ty::Prim("i32"));
        assert_eq!(f[3].ty, opt("i"));
        assert_eq!(
            f[4].ty,
            opt("i"),
            "Nullable stays Option even when required"
        );
    }

    #[test]
    fn servicestack_builtins_come_from_the_runtime() {
        // As real contracts carry them: QueryDb`1 inherits QueryBase, both in the ServiceStack
        // namespace; QueryResponse`1 is generic; Authenticate is an operation of its own.
        let s = space(
            r#"{"types":[
                {"name":"QueryBase","namespace":"ServiceStack","properties":[
                    {"name":"Skip","type":"Nullable`1","genericArgs":["Int32"],"isValueType":true},
                    {"name":"OrderBy","type":"String"}]},
                {"name":"QueryDb`1","namespace":"ServiceStack","genericArgs":["T"],
                 "inherits":{"name":"QueryBase","namespace":"ServiceStack"}},
                {"name":"QueryResponse`1","namespace":"ServiceStack","genericArgs":["T"],"properties":[
                    {"name":"Results","type":"List`1","genericArgs":["T"]}]},
                {"name":"Booking","namespace":"MyApp","properties":[{"name":"Id","type":"Int32","isValueType":true}]},
                {"name":"Page`1","namespace":"MyApp","genericArgs":["T"],"properties":[
                    {"name":"Inner","type":"QueryResponse`1","genericArgs":["T"]}]}
              ],
              "operations":[
                {"request":{"name":"QueryBookings","namespace":"MyApp",
                    "inherits":{"name":"QueryDb`1","namespace":"ServiceStack","genericArgs":["Booking"]},
                    "properties":[{"name":"Id","type":"Nullable`1","genericArgs":["Int32"],"isValueType":true}]},
                 "returnType":{"name":"QueryResponse`1","namespace":"ServiceStack","genericArgs":["Booking"]},
                 "method":"GET"},
                {"request":{"name":"Authenticate","namespace":"ServiceStack"},
                 "response":{"name":"AuthenticateResponse","namespace":"ServiceStack"},"method":"POST"},
                {"request":{"name":"CreateBooking","namespace":"MyApp"},
                 "returnType":{"name":"IdResponse","namespace":"ServiceStack"},"method":"POST"},
                {"request":{"name":"DeleteBooking","namespace":"MyApp"},
                 "returnType":{"name":"EmptyResponse"},"method":"DELETE"}
              ]}"#,
        )
        .unwrap();
        let names: Vec<&str> = s.items.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Booking",
                "Page",
                "QueryBookings",
                "CreateBooking",
                "DeleteBooking"
            ]
        );
        // Inherited members are still inlined, base first.
        let f = fields(&s, "QueryBookings");
        let wire: Vec<&str> = f.iter().map(|f| f.wire_name.as_str()).collect();
        assert_eq!(wire, ["skip", "orderBy", "id"]);
        let booking = named(&s, "Booking", vec![]);
        let response = |op: &str| {
            s.operations
                .iter()
                .find(|o| o.name == op)
                .map(|o| o.response.clone())
        };
        assert_eq!(
            response("QueryBookings"),
            Some(Response::Typed(Ty::Runtime(
                "ssdto::QueryResponse",
                vec![booking]
            )))
        );
        assert_eq!(
            response("CreateBooking"),
            Some(Response::Typed(Ty::Runtime("ssdto::IdResponse", vec![])))
        );
        assert_eq!(
            response("DeleteBooking"),
            Some(Response::Typed(Ty::Runtime("ssdto::EmptyResponse", vec![])))
        );
        // The runtime implements Request for Authenticate itself.
        assert_eq!(response("Authenticate"), None);
        // A generic parameter used only through a runtime type is still in use.
        let page = s.items.iter().find(|i| i.name == "Page").unwrap();
        assert!(matches!(&page.kind, ItemKind::Struct(p) if p.generics == ["T"]));
        assert_eq!(
            fields(&s, "Page")[0].ty,
            Ty::Option(Box::new(Ty::Runtime(
                "ssdto::QueryResponse",
                vec![Ty::Param("T".into())]
            )))
        );
    }

    #[test]
    fn builtin_names_in_other_namespaces_stay_the_contracts() {
        let s = space(
            r#"{"types":[{"name":"IdResponse","namespace":"MyApp","properties":[{"name":"Id","type":"Int32","isValueType":true}]}],
                "operations":[{"request":{"name":"Create","namespace":"MyApp"},"returnType":{"name":"IdResponse","namespace":"MyApp"},"method":"POST"},
                              {"request":{"name":"Login","namespace":"MyApp","properties":[{"name":"Auth","type":"AuthenticateResponse"}]},"method":"POST"}]}"#,
        )
        .unwrap();
        assert!(s.items.iter().any(|i| i.name == "IdResponse"));
        assert_eq!(
            s.operations[0].response,
            Response::Typed(named(&s, "IdResponse", vec![]))
        );
        // Referenced but not defined: the runtime's.
        assert_eq!(
            fields(&s, "Login")[0].ty,
            Ty::Option(Box::new(Ty::Runtime("ssdto::AuthenticateResponse", vec![])))
        );
    }
}
