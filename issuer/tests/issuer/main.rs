//! The issuer's one integration-test binary: the portal through its router, the printout as a
//! scanner sees it, the hostile-input sweep, the mail the portal sends (to the outbox folder and a real SMTP server), and the layering rule of the sources.

mod a11y;
mod accounts;
mod bundle;
mod check;
mod flow;
mod group;
mod layers;
mod mail;
mod office;
mod office_access;
mod office_inviters;
mod office_ops;
mod office_screening;
mod pdf;
mod portal;
mod screens;
mod support;
mod sweep;
