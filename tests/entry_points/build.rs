//! The build.rs entry point: generates the Evo Voice contract into `OUT_DIR/sessions.rs`.

fn main() {
    let generated = ssdto_gen::Builder::new()
        .contract("../../contracts/evovoice/sessions.json")
        .write_out_dir();
    if let Err(err) = generated {
        eprintln!("error: {err}");
        std::process::exit(1);
    }
}
