//! The issuer's one integration-test binary: the portal through its router, the printout as a
//! scanner sees it, the hostile-input sweep, and the layering rule of the sources.

mod accounts;
mod layers;
mod pdf;
mod portal;
mod support;
mod sweep;
