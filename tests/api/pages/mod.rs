//! Page tests over HTTP: what each page shows and what its forms do.
mod admin;
mod company;
mod coordinator;
mod fair;
mod matching;
mod me;
mod offers;
mod public;
mod reports;
mod rounds;
mod school;
mod site;
