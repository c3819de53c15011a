//! `include_contract!`: runs the generator on a contract file at compile time.

use std::path::{Path, PathBuf};

use proc_macro2::{Span, TokenStream};
use quote::{quote, ToTokens};
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{bracketed, Ident, LitBool, LitStr, Token};

use ssdto_gen::{Kind, OptionSpec, Options, Value, OPTIONS};

/// The macro input: the contract path, then `key = value` options, one per row of
/// [`OPTIONS`] (the `key` column).
pub(crate) struct Args {
    path: LitStr,
    options: Options,
}

impl Parse for Args {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let path: LitStr = input.parse().map_err(|e| {
            syn::Error::new(
                e.span(),
                "expected the contract path: `include_contract!(\"contracts/api.json\", ..)`",
            )
        })?;
        let mut options = Options::default();
        let mut seen: Vec<String> = Vec::new();
        while !input.is_empty() {
            input.parse::<Token![,]>()?;
            if input.is_empty() {
                break;
            }
            // `Ident::parse_any` would also take keywords; none of the keys is one.
            let key: Ident = input.parse()?;
            let name = key.to_string();
            if seen.contains(&name) {
                return Err(syn::Error::new(
                    key.span(),
                    format!("duplicate option `{name}`"),
                ));
            }
            let spec = OptionSpec::find(&name, |spec| spec.key).ok_or_else(|| {
                let keys: Vec<String> = OPTIONS.iter().map(|s| format!("`{}`", s.key)).collect();
                syn::Error::new(
                    key.span(),
                    format!(
                        "unknown include_contract! option `{name}`: expected one of {}",
                        keys.join(", ")
                    ),
                )
            })?;
            input.parse::<Token![=]>()?;
            let span = input.span();
            let value = value(spec.kind, input)?;
            // Checked where it is written, so the error points at the value.
            spec.set(&mut options, value)
                .and_then(|()| options.validate())
                .map_err(|e| syn::Error::new(span, e.to_string()))?;
            seen.push(name);
        }
        Ok(Args { path, options })
    }
}

/// One option value, in the token form for its kind: `true`, `["A.*", "B"]` (or `[Eq,
/// std::hash::Hash]` for paths), `BTreeMap` or `"BTreeMap"`, `"name"`.
fn value(kind: Kind, input: ParseStream) -> syn::Result<Value> {
    Ok(match kind {
        Kind::Bool => Value::Bool(input.parse::<LitBool>()?.value),
        Kind::List => {
            let content;
            bracketed!(content in input);
            let items = Punctuated::<Item, Token![,]>::parse_terminated(&content)?;
            Value::List(items.into_iter().map(|item| item.0).collect())
        }
        Kind::Choice(_) if !input.peek(LitStr) => Value::Text(input.parse::<Ident>()?.to_string()),
        _ => Value::Text(input.parse::<LitStr>()?.value()),
    })
}

/// A list item: a string, or a path written as Rust (`std::hash::Hash`).
struct Item(String);

impl Parse for Item {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        if input.peek(LitStr) {
            return Ok(Item(input.parse::<LitStr>()?.value()));
        }
        let path: syn::Path = input.parse()?;
        Ok(Item(path.to_token_stream().to_string().replace(' ', "")))
    }
}

pub(crate) fn expand(args: Args) -> syn::Result<TokenStream> {
    let written = args.path.value();
    let span = args.path.span();
    let path = resolve(&written, span)?;
    let json = std::fs::read_to_string(&path).map_err(|e| {
        syn::Error::new(
            span,
            format!("cannot read contract `{written}` (relative to CARGO_MANIFEST_DIR): {e}"),
        )
    })?;
    // Warnings cannot be shown from a proc macro on stable Rust: `strict = true` makes them
    // compile errors, otherwise the `ssdto` command lists them.
    let items = ssdto_gen::generate_tokens(&json, &args.options)
        .map_err(|e| syn::Error::new(span, format!("contract `{written}`: {e}")))?;
    // `include_bytes!` puts the contract in the crate's dep-info, so cargo rebuilds (and
    // re-expands this macro) when the file changes.
    let tracked = path.to_str().ok_or_else(|| {
        syn::Error::new(
            span,
            format!("contract path `{}` is not UTF-8", path.display()),
        )
    })?;
    Ok(quote! {
        const _: &[u8] = ::core::include_bytes!(#tracked);
        #items
    })
}

/// The contract's absolute path: relative paths are relative to the crate being compiled.
fn resolve(written: &str, span: Span) -> syn::Result<PathBuf> {
    let path = Path::new(written);
    if path.is_absolute() {
        return Ok(path.to_path_buf());
    }
    let dir = std::env::var_os("CARGO_MANIFEST_DIR").ok_or_else(|| {
        syn::Error::new(
            span,
            "CARGO_MANIFEST_DIR is not set: build with cargo, or give an absolute path",
        )
    })?;
    Ok(Path::new(&dir).join(path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ssdto_gen::{DateType, GuidType, MapType};

    fn parse(input: TokenStream) -> Result<Options, String> {
        syn::parse2::<Args>(input)
            .map(|a| a.options)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn every_option() {
        let options = parse(quote! {
            "c.json",
            include = ["GetSession.*", "{tag}"],
            exclude = ["X"],
            global_namespace = "evo",
            descriptions = false,
            map_type = BTreeMap,
            date_type = chrono,
            guid_type = "ssdto",
            derive = [Eq, std::hash::Hash],
            server = true,
            strict = true,
            xml = true,
        })
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            options,
            Options::default()
                .with_include("GetSession.*")
                .with_include("{tag}")
                .with_exclude("X")
                .with_descriptions(false)
                .with_global_namespace("evo")
                .with_map_type(MapType::BTreeMap)
                .with_derive("Eq")
                .with_derive("std::hash::Hash")
                .with_server(true)
                .with_date_type(DateType::Chrono)
                .with_guid_type(GuidType::Ssdto)
                .with_strict(true)
                .with_xml(true)
        );
        assert_eq!(parse(quote!("c.json")), Ok(Options::default()));
    }

    /// Each row of the options table is a key, in the token form of its kind.
    #[test]
    fn every_table_key_is_accepted() {
        for spec in OPTIONS {
            let key = Ident::new(spec.key, Span::call_site());
            let value = match spec.kind {
                Kind::Bool => {
                    let flipped = spec.value(&Options::default()) == Value::Bool(false);
                    quote!(#flipped)
                }
                Kind::List => quote!([Eq]),
                Kind::Choice(values) => {
                    let v = Ident::new(values[values.len() - 1], Span::call_site());
                    quote!(#v)
                }
                _ => quote!("api"),
            };
            let options = parse(quote!("c.json", #key = #value)).unwrap_or_else(|e| panic!("{e}"));
            assert!(!spec.is_default(&options), "{}", spec.key);
        }
    }

    #[test]
    fn bad_options_are_errors() {
        for (input, message) in [
            (quote!(), "expected the contract path"),
            (quote!(c), "expected the contract path"),
            (
                quote!("c", includes = ["A"]),
                "unknown include_contract! option `includes`",
            ),
            (
                quote!("c", include = ["A"], include = ["B"]),
                "duplicate option `include`",
            ),
            (quote!("c", include = ["A,B"]), "holds a comma"),
            (quote!("c", include = [""]), "is empty"),
            (quote!("c", map_type = Vec), "not `Vec`"),
            (quote!("c", descriptions = "no"), "expected boolean literal"),
            (quote!("c", global_namespace = " "), "empty module name"),
        ] {
            let err = parse(input.clone()).unwrap_err();
            assert!(err.contains(message), "{input}: {err}");
        }
    }

    fn contract_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../contracts/evovoice")
    }

    #[test]
    fn expands_to_items_that_track_the_file() {
        let path = contract_dir().join("sessions.json");
        let path = path
            .to_str()
            .unwrap_or_else(|| panic!("non-UTF-8 test path"));
        let args: Args = syn::parse_quote!(#path, include = ["GetSession.*"]);
        let out = expand(args).unwrap_or_else(|e| panic!("{e}"));
        let file: syn::File = syn::parse2(out).unwrap_or_else(|e| panic!("{e}"));
        let tracked = file.items.first().map(|i| i.to_token_stream().to_string());
        assert!(
            tracked
                .as_deref()
                .is_some_and(|t| t.contains("include_bytes")),
            "{tracked:?}"
        );
        let structs: Vec<String> = file
            .items
            .iter()
            .filter_map(|i| match i {
                syn::Item::Struct(s) => Some(s.ident.to_string()),
                _ => None,
            })
            .collect();
        assert!(structs.contains(&"GetSession".to_owned()), "{structs:?}");
        assert!(structs.contains(&"SessionInfo".to_owned()), "{structs:?}");
        assert!(!structs.contains(&"NewSession".to_owned()), "{structs:?}");
    }

    #[test]
    fn file_and_contract_errors_are_errors() {
        let missing = contract_dir().join("missing.json");
        let missing = missing
            .to_str()
            .unwrap_or_else(|| panic!("non-UTF-8 test path"));
        let err = expand(syn::parse_quote!(#missing)).unwrap_err().to_string();
        assert!(err.starts_with("cannot read contract"), "{err}");

        // A manifest is a file that exists but is no contract.
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
        let manifest = manifest
            .to_str()
            .unwrap_or_else(|| panic!("non-UTF-8 test path"));
        let err = expand(syn::parse_quote!(#manifest))
            .unwrap_err()
            .to_string();
        assert!(err.contains("invalid contract JSON at line 1"), "{err}");
    }
}
