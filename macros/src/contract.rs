//! `include_contract!`: runs the generator on a contract file at compile time.

use std::path::{Path, PathBuf};

use proc_macro2::{Span, TokenStream};
use quote::{quote, ToTokens};
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{bracketed, Ident, LitBool, LitStr, Token};

use ssdto_gen::{MapType, Options};

/// The options `include_contract!` accepts, for the unknown-key message.
const KEYS: &str = "`include`, `exclude`, `global_namespace`, `descriptions`, `map_type`, `date_type`, `guid_type`, `derive`, `server`, `strict`, `xml`";

/// The macro input: the contract path, then `key = value` options.
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
            input.parse::<Token![=]>()?;
            match name.as_str() {
                "include" => options.include_types = patterns(input)?,
                "exclude" => options.exclude_types = patterns(input)?,
                "global_namespace" => {
                    let value: LitStr = input.parse()?;
                    if value.value().trim().is_empty() {
                        return Err(syn::Error::new(value.span(), "empty module name"));
                    }
                    options.global_namespace = Some(value.value());
                }
                "descriptions" => {
                    options.add_description_as_comments = input.parse::<LitBool>()?.value
                }
                "map_type" => {
                    let value: Ident = input.parse()?;
                    options.map_type = match value.to_string().as_str() {
                        "HashMap" => MapType::HashMap,
                        "BTreeMap" => MapType::BTreeMap,
                        other => {
                            return Err(syn::Error::new(
                                value.span(),
                                format!("map_type must be `HashMap` or `BTreeMap`, not `{other}`"),
                            ))
                        }
                    };
                }
                "date_type" | "guid_type" => {
                    // Same spellings as the CLI and the header (`String`, `ssdto`, `chrono`/`uuid`),
                    // as an identifier or a string.
                    let (text, span) = if input.peek(LitStr) {
                        let lit: LitStr = input.parse()?;
                        (lit.value(), lit.span())
                    } else {
                        let value: Ident = input.parse()?;
                        (value.to_string(), value.span())
                    };
                    let bad = |e: ssdto_gen::Error| syn::Error::new(span, e.to_string());
                    if name == "date_type" {
                        options.date_type = text.parse().map_err(bad)?;
                    } else {
                        options.guid_type = text.parse().map_err(bad)?;
                    }
                }
                "server" => options.server = input.parse::<LitBool>()?.value,
                "strict" => options.strict = input.parse::<LitBool>()?.value,
                "xml" => options.xml = input.parse::<LitBool>()?.value,
                "derive" => {
                    let content;
                    bracketed!(content in input);
                    let paths = Punctuated::<syn::Path, Token![,]>::parse_terminated(&content)?;
                    options.add_derives = paths
                        .iter()
                        .map(|p| p.to_token_stream().to_string().replace(' ', ""))
                        .collect();
                }
                _ => {
                    return Err(syn::Error::new(
                        key.span(),
                        format!(
                            "unknown include_contract! option `{name}`: expected one of {KEYS}"
                        ),
                    ))
                }
            }
            seen.push(name);
        }
        Ok(Args { path, options })
    }
}

/// `["A.*", "B"]`, each checked where it is written.
fn patterns(input: ParseStream) -> syn::Result<Vec<String>> {
    let content;
    bracketed!(content in input);
    let list = Punctuated::<LitStr, Token![,]>::parse_terminated(&content)?;
    list.iter()
        .map(|lit| {
            let one = Options {
                include_types: vec![lit.value()],
                ..Options::default()
            };
            one.validate()
                .map(|()| lit.value())
                .map_err(|e| syn::Error::new(lit.span(), e.to_string()))
        })
        .collect()
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
    let code = ssdto_gen::generate(&json, &args.options)
        .map_err(|e| syn::Error::new(span, format!("contract `{written}`: {e}")))?
        .code;
    // The generator writes a file; items are what a macro may expand to, so inner attributes
    // and comments are dropped with the file wrapper.
    let file = syn::parse_file(&code).map_err(|e| {
        syn::Error::new(
            span,
            format!("internal error: the code generated from `{written}` does not parse: {e}"),
        )
    })?;
    let items = file.items;
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
        #(#items)*
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
    use ssdto_gen::{DateType, GuidType};

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
            Options {
                include_types: vec!["GetSession.*".into(), "{tag}".into()],
                exclude_types: vec!["X".into()],
                add_description_as_comments: false,
                global_namespace: Some("evo".into()),
                map_type: MapType::BTreeMap,
                add_derives: vec!["Eq".into(), "std::hash::Hash".into()],
                server: true,
                date_type: DateType::Chrono,
                guid_type: GuidType::Ssdto,
                strict: true,
                xml: true,
            }
        );
        assert_eq!(parse(quote!("c.json")), Ok(Options::default()));
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
