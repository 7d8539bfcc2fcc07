//! Hostile and damaged input (issue 11): the damaged corpus of the demo builder through every
//! command, and one regression test per way a crafted backup broke backtop.

#[cfg(unix)]
mod corpus;
#[cfg(unix)]
mod dashboard;
#[cfg(unix)]
mod denied;
mod escapes;
#[cfg(unix)]
mod links;
#[cfg(unix)]
mod non_utf8;
#[cfg(unix)]
mod props;
#[cfg(unix)]
mod props_join;
#[cfg(unix)]
mod props_keybag;
mod reasons;
