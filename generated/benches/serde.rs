//! Serde throughput on a `ListResponse<SessionInfo>` of 10k fully populated sessions
//! (`cargo bench -p ssdto-generated --bench serde`): the generated types against the same types in
//! ServiceStack's Rust style (flattened base, all-`Option`) and a hand-written plain struct.
//! Target: generated >= 1.5x faster than the ServiceStack style on deserialize, within 10% of plain.
//! The `xml` benches read and write the same value as DataContractSerializer XML (`ssdto::xml`,
//! types generated with `Xml: true`), for a ratio against the JSON ones in the same run.
//! Divan runs the sets one after another, so load falls on them unevenly: the ratios of issue 15
//! §5 come from `cargo bench -p ssdto-benches --bench serde`, which alternates them in one run.

#[path = "support/derived_enums.rs"]
mod derived_enums;
#[path = "support/payload.rs"]
mod payload;
#[path = "support/plain.rs"]
mod plain;
#[path = "support/servicestack_style.rs"]
mod servicestack_style;

use divan::counter::BytesCount;
use payload::payload;
use ssdto_generated::evovoice_sessions as generated;

fn main() {
    divan::main();
}

mod deserialize {
    use super::*;

    #[divan::bench(sample_count = 20)]
    fn generated(bencher: divan::Bencher) {
        let json = payload();
        bencher.counter(BytesCount::of_str(&json)).bench(|| {
            serde_json::from_str::<generated::ListResponse<generated::SessionInfo>>(&json)
                .expect("deserialize")
        });
    }

    #[divan::bench(sample_count = 20)]
    fn servicestack_style(bencher: divan::Bencher) {
        let json = payload();
        bencher.counter(BytesCount::of_str(&json)).bench(|| {
            serde_json::from_str::<
                servicestack_style::ListResponse<servicestack_style::SessionInfo>,
            >(&json)
            .expect("deserialize")
        });
    }

    #[divan::bench(sample_count = 20)]
    fn plain(bencher: divan::Bencher) {
        let json = payload();
        bencher.counter(BytesCount::of_str(&json)).bench(|| {
            serde_json::from_str::<plain::ListResponse<plain::SessionInfo>>(&json)
                .expect("deserialize")
        });
    }
}

mod serialize {
    use super::*;

    #[divan::bench(sample_count = 20)]
    fn generated(bencher: divan::Bencher) {
        let json = payload();
        let value: generated::ListResponse<generated::SessionInfo> =
            serde_json::from_str(&json).expect("deserialize");
        bencher
            .counter(BytesCount::of_str(&json))
            .bench(|| serde_json::to_vec(&value).expect("serialize"));
    }

    #[divan::bench(sample_count = 20)]
    fn servicestack_style(bencher: divan::Bencher) {
        let json = payload();
        let value: servicestack_style::ListResponse<servicestack_style::SessionInfo> =
            serde_json::from_str(&json).expect("deserialize");
        bencher
            .counter(BytesCount::of_str(&json))
            .bench(|| serde_json::to_vec(&value).expect("serialize"));
    }

    #[divan::bench(sample_count = 20)]
    fn plain(bencher: divan::Bencher) {
        let json = payload();
        let value: plain::ListResponse<plain::SessionInfo> =
            serde_json::from_str(&json).expect("deserialize");
        bencher
            .counter(BytesCount::of_str(&json))
            .bench(|| serde_json::to_vec(&value).expect("serialize"));
    }
}

mod xml {
    use super::*;
    use ssdto_generated::evovoice_xml as typed;

    type Response = typed::ListResponse<typed::SessionInfo>;

    /// The same 10k sessions, in the types generated with `Xml: true`, and their XML.
    fn payload() -> (Response, String) {
        let value: Response = serde_json::from_str(&super::payload()).expect("deserialize");
        let xml = ssdto::xml::to_string(&value).expect("serialize");
        (value, xml)
    }

    #[divan::bench(sample_count = 20)]
    fn deserialize(bencher: divan::Bencher) {
        let (_, xml) = payload();
        // The document is larger than the default 32 MiB limit.
        let limits = ssdto::xml::Limits {
            max_bytes: usize::MAX,
            ..ssdto::xml::Limits::default()
        };
        bencher.counter(BytesCount::of_str(&xml)).bench(|| {
            ssdto::xml::from_slice_with::<Response>(xml.as_bytes(), limits).expect("deserialize")
        });
    }

    #[divan::bench(sample_count = 20)]
    fn serialize(bencher: divan::Bencher) {
        let (value, xml) = payload();
        bencher
            .counter(BytesCount::of_str(&xml))
            .bench(|| ssdto::xml::to_string(&value).expect("serialize"));
    }
}
