//! Page tests over HTTP: what each page shows and what its forms do.
mod company;
mod coordinator;
mod fair;
mod matching;
mod me;
mod public;
mod school;
mod site;
