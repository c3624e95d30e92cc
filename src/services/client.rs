//! Who a client is, for the limits counted per client (sign-ins, anonymous searches).

use std::net::IpAddr;

/// The client an address stands for: an IPv6 client usually holds a whole /64, so its
/// addresses count as one; an IPv4-mapped IPv6 address is its IPv4 client.
pub fn client_of(address: IpAddr) -> IpAddr {
    match address.to_canonical() {
        IpAddr::V6(v6) => IpAddr::V6((u128::from(v6) & !((1u128 << 64) - 1)).into()),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(text: &str) -> IpAddr {
        client_of(text.parse().unwrap())
    }

    #[test]
    fn one_ipv6_network_is_one_client_and_ipv4_stays_itself() {
        assert_eq!(of("2001:db8:1:2:aaaa::1"), of("2001:db8:1:2:bbbb::2"));
        assert_eq!(of("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::".parse::<IpAddr>().unwrap());
        assert_ne!(of("2001:db8:1:2::1"), of("2001:db8:1:3::1"));
        assert_eq!(of("10.0.0.1"), "10.0.0.1".parse::<IpAddr>().unwrap());
        assert_ne!(of("10.0.0.1"), of("10.0.0.2"));
        assert_eq!(of("::ffff:10.0.0.1"), of("10.0.0.1"));
    }
}
