//! Contracts published by ServiceStack sample apps (`contracts/real`), generated and
//! compiled here so every build proves the generator's output is warning-free on real input.

#[rustfmt::skip]
pub mod admin_ui;
#[rustfmt::skip]
pub mod blazor_gallery_6_61;
#[rustfmt::skip]
pub mod blazor_gallery_8_91;
