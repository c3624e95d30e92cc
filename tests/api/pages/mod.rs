//! Page tests over HTTP: what each page shows and what its forms do.
mod company;
mod matching;
mod public;
mod site;
