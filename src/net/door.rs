//! Who may try the join code, and how often: the host's limits before a
//! network connection has authenticated (as an SSH server has them). Pure
//! bookkeeping with the time passed in, so every limit is tested exactly.
//!
//! - **Guesses.** A code attempt is admitted only while its address has
//!   fewer than [`Limits::per_address`] failures (and attempts in flight)
//!   in the last [`Limits::window`], and while the session-wide budget
//!   holds a token: it starts at [`Limits::burst`] and refills at
//!   [`Limits::refill_every`]. An admitted attempt reserves a token; a
//!   success gives it back; a failure keeps it. So over `T` the whole
//!   network can fail at most `burst + T / refill_every` times, however
//!   many connections and addresses it uses.
//! - **Only a wrong code is a failure.** A handshake that is malformed,
//!   truncated or abandoned closes the connection and gives the token
//!   back; it neither counts nor changes the code.
//! - **Connections before authentication**: at most
//!   [`Limits::unauthenticated_per_address`] from one address (more are
//!   closed as they are accepted) and [`Limits::unauthenticated`] in all.
//!   When all are taken, a newcomer takes the place of the oldest
//!   connection of the address holding the most, as an SSH server drops
//!   early: so a genuine joiner, holding one, is never the one to go while
//!   anyone holds two, and a flood of new connections pushes out its own.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::time::{Duration, Instant};

#[derive(Clone, Debug)]
pub struct Limits {
    /// Wrong codes one address may try within `window`.
    pub per_address: u32,
    pub window: Duration,
    /// Wrong codes the whole network may try at once…
    pub burst: u32,
    /// …and one more each this often.
    pub refill_every: Duration,
    pub unauthenticated: usize,
    pub unauthenticated_per_address: usize,
    /// Addresses remembered at once; beyond this, new ones are turned away
    /// until old ones are forgotten.
    pub addresses: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            per_address: 3,
            window: Duration::from_secs(10 * 60),
            burst: 10_000,
            refill_every: Duration::from_millis(120),
            unauthenticated: 64,
            unauthenticated_per_address: 8,
            addresses: 4096,
        }
    }
}

impl Limits {
    /// The most wrong codes the whole network can try over `span`.
    pub fn most_failures(&self, span: Duration) -> u64 {
        let every = self.refill_every.as_nanos().max(1);
        u64::from(self.burst) + u64::try_from(span.as_nanos() / every).unwrap_or(u64::MAX)
    }
}

/// Who a connection comes from, for the limits: its IPv4 address, or its
/// IPv6 /64 network (one device can have as many addresses in it as it
/// likes). An IPv4 address written as IPv6 counts as IPv4.
fn source(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let mut s = v6.segments();
                s[4..].fill(0);
                IpAddr::from(s)
            }
        },
        v4 => v4,
    }
}

#[derive(Default)]
struct Address {
    failures: VecDeque<Instant>,
    in_flight: u32,
    /// Its connections waiting to authenticate, oldest first: (id, since).
    open: VecDeque<(u64, Instant)>,
}

/// Why an attempt or a connection is turned away.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Try again after this long.
    Wait(Duration),
    /// Too many connections waiting to authenticate: closed at once.
    Full,
}

pub struct Door {
    limits: Limits,
    addresses: HashMap<IpAddr, Address>,
    tokens: u32,
    /// When the budget last gained a token (or was full).
    refilled: Instant,
    unauthenticated: usize,
    /// Wrong codes tried since the host started.
    pub failures: u64,
}

impl Door {
    pub fn new(limits: Limits, now: Instant) -> Self {
        Door {
            tokens: limits.burst,
            limits,
            addresses: HashMap::new(),
            refilled: now,
            unauthenticated: 0,
            failures: 0,
        }
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    fn refill(&mut self, now: Instant) {
        if self.tokens >= self.limits.burst {
            self.refilled = now;
            return;
        }
        let every = self.limits.refill_every.max(Duration::from_millis(1));
        let gained = now.saturating_duration_since(self.refilled).as_nanos() / every.as_nanos();
        if gained > 0 {
            let gained = u32::try_from(gained).unwrap_or(u32::MAX);
            self.tokens = self.tokens.saturating_add(gained).min(self.limits.burst);
            self.refilled += every * gained.min(1 << 20);
        }
    }

    fn forget_old(&mut self, ip: IpAddr, now: Instant) {
        let window = self.limits.window;
        if let Some(a) = self.addresses.get_mut(&ip) {
            while a
                .failures
                .front()
                .is_some_and(|t| now.saturating_duration_since(*t) >= window)
            {
                a.failures.pop_front();
            }
            if a.failures.is_empty() && a.in_flight == 0 && a.open.is_empty() {
                self.addresses.remove(&ip);
            }
        }
    }

    /// Connection `id` from `ip`, before it authenticates. When every place
    /// is taken, the answer names the connection it displaced, which the
    /// host closes.
    pub fn connect(&mut self, ip: IpAddr, id: u64, now: Instant) -> Result<Option<u64>, Refusal> {
        let ip = source(ip);
        self.forget_old(ip, now);
        if !self.addresses.contains_key(&ip) && self.addresses.len() >= self.limits.addresses {
            // Make room from addresses that hold nothing now.
            let idle: Vec<IpAddr> = self
                .addresses
                .iter()
                .filter(|(_, a)| a.in_flight == 0 && a.open.is_empty())
                .map(|(ip, _)| *ip)
                .take(64)
                .collect();
            for old in idle {
                self.forget_old(old, now);
            }
            if self.addresses.len() >= self.limits.addresses {
                return Err(Refusal::Full);
            }
        }
        if self
            .addresses
            .get(&ip)
            .is_some_and(|a| a.open.len() >= self.limits.unauthenticated_per_address)
        {
            return Err(Refusal::Full);
        }
        let displaced = if self.unauthenticated >= self.limits.unauthenticated {
            let Some(victim) = self.displace() else {
                return Err(Refusal::Full);
            };
            Some(victim)
        } else {
            None
        };
        self.addresses
            .entry(ip)
            .or_default()
            .open
            .push_back((id, now));
        self.unauthenticated += 1;
        Ok(displaced)
    }

    /// Takes the oldest waiting connection of the address holding the most
    /// off the count; its id.
    fn displace(&mut self) -> Option<u64> {
        let a = self
            .addresses
            .values_mut()
            .filter(|a| !a.open.is_empty())
            .max_by(|a, b| {
                let oldest = |x: &Address| x.open.front().map(|(_, t)| *t);
                a.open
                    .len()
                    .cmp(&b.open.len())
                    .then_with(|| oldest(b).cmp(&oldest(a)))
            })?;
        let (id, _) = a.open.pop_front()?;
        self.unauthenticated = self.unauthenticated.saturating_sub(1);
        Some(id)
    }

    /// Connection `id` from `ip` authenticated or closed (or was displaced).
    pub fn leave(&mut self, ip: IpAddr, id: u64, now: Instant) {
        let ip = source(ip);
        if let Some(a) = self.addresses.get_mut(&ip)
            && let Some(i) = a.open.iter().position(|(x, _)| *x == id)
        {
            a.open.remove(i);
            self.unauthenticated = self.unauthenticated.saturating_sub(1);
        }
        self.forget_old(ip, now);
    }

    /// May `ip` try the code now? If so, the attempt is in flight until
    /// [`Door::outcome`] or [`Door::abandoned`].
    pub fn attempt(&mut self, ip: IpAddr, now: Instant) -> Result<(), Refusal> {
        let ip = source(ip);
        self.forget_old(ip, now);
        self.refill(now);
        let limits = &self.limits;
        if let Some(a) = self.addresses.get(&ip)
            && a.failures.len() as u64 + u64::from(a.in_flight) >= u64::from(limits.per_address)
        {
            // The oldest failure leaves the window first.
            let wait = a.failures.front().map_or(Duration::from_secs(1), |t| {
                limits
                    .window
                    .saturating_sub(now.saturating_duration_since(*t))
            });
            return Err(Refusal::Wait(wait.max(Duration::from_secs(1))));
        }
        if self.tokens == 0 {
            let every = limits.refill_every;
            let wait = every.saturating_sub(now.saturating_duration_since(self.refilled));
            return Err(Refusal::Wait(wait.max(Duration::from_secs(1))));
        }
        self.tokens -= 1;
        self.addresses.entry(ip).or_default().in_flight += 1;
        Ok(())
    }

    /// How an admitted attempt ended: the code was wrong, or it was right.
    pub fn outcome(&mut self, ip: IpAddr, wrong: bool, now: Instant) {
        let ip = source(ip);
        if let Some(a) = self.addresses.get_mut(&ip) {
            a.in_flight = a.in_flight.saturating_sub(1);
            if wrong {
                a.failures.push_back(now);
            }
        }
        if wrong {
            self.failures += 1;
        } else {
            self.tokens = (self.tokens + 1).min(self.limits.burst);
        }
        self.forget_old(ip, now);
    }

    /// An admitted attempt that never got as far as trying the code (a
    /// malformed or abandoned handshake): nothing is counted.
    pub fn abandoned(&mut self, ip: IpAddr, now: Instant) {
        let ip = source(ip);
        if let Some(a) = self.addresses.get_mut(&ip) {
            a.in_flight = a.in_flight.saturating_sub(1);
        }
        self.tokens = (self.tokens + 1).min(self.limits.burst);
        self.forget_old(ip, now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(n: u8) -> IpAddr {
        IpAddr::from([10, 0, 0, n])
    }

    #[test]
    fn one_address_gets_three_wrong_codes_per_window_and_others_are_unaffected() {
        let t0 = Instant::now();
        let mut d = Door::new(Limits::default(), t0);
        for _ in 0..3 {
            d.attempt(ip(1), t0).unwrap();
            d.outcome(ip(1), true, t0);
        }
        assert!(
            matches!(d.attempt(ip(1), t0), Err(Refusal::Wait(w)) if w == Duration::from_secs(600))
        );
        // Another address is not held back by the first one's failures.
        d.attempt(ip(2), t0).unwrap();
        d.outcome(ip(2), false, t0);
        // After the window the first address may try again.
        let later = t0 + Duration::from_secs(600);
        d.attempt(ip(1), later).unwrap();
    }

    #[test]
    fn the_network_wide_budget_bounds_failures_over_three_hours() {
        let limits = Limits::default();
        let t0 = Instant::now();
        let mut d = Door::new(limits.clone(), t0);
        // An attacker with a fresh address for every attempt, trying 50
        // times a second for three hours.
        let mut failed = 0u64;
        let mut n = 0u32;
        for s in 0..3 * 3600u64 {
            let now = t0 + Duration::from_secs(s);
            for _ in 0..50 {
                n += 1;
                let who = IpAddr::from(n.to_be_bytes());
                if d.attempt(who, now).is_ok() {
                    d.outcome(who, true, now);
                    failed += 1;
                }
            }
        }
        let bound = limits.most_failures(Duration::from_secs(3 * 3600));
        assert!(failed <= bound, "{failed} > {bound}");
        let codes = 10u64.pow(crate::net::wire::CODE_DIGITS);
        assert!(
            bound * 10_000 <= codes,
            "at most {bound} wrong codes of {codes}: no more than 1 chance in 10,000"
        );
        assert_eq!(d.failures, failed);
    }

    #[test]
    fn an_abandoned_or_malformed_attempt_costs_nothing() {
        let t0 = Instant::now();
        let mut d = Door::new(Limits::default(), t0);
        for _ in 0..1000 {
            d.attempt(ip(1), t0).unwrap();
            d.abandoned(ip(1), t0);
        }
        assert_eq!(d.failures, 0);
        d.attempt(ip(1), t0).unwrap();
    }

    #[test]
    fn connections_before_authentication_are_capped_per_address_and_the_greediest_make_room() {
        let t0 = Instant::now();
        let at = |s: u64| t0 + Duration::from_millis(s);
        let mut d = Door::new(Limits::default(), t0);
        let mut id = 0u64;
        let mut next = || {
            id += 1;
            id
        };
        // An attacker fills all 64 places from 8 addresses.
        let mut first_of_1 = 0;
        for n in 1..=8 {
            for k in 0..8 {
                let i = next();
                if n == 1 && k == 0 {
                    first_of_1 = i;
                }
                assert_eq!(d.connect(ip(n), i, at(i)), Ok(None));
            }
        }
        assert_eq!(
            d.connect(ip(1), next(), at(100)),
            Err(Refusal::Full),
            "8 per address"
        );
        // A joiner from another address takes the place of the oldest
        // connection of an address holding the most.
        let joiner = next();
        assert_eq!(d.connect(ip(99), joiner, at(101)), Ok(Some(first_of_1)));
        // The flood goes on: each new one displaces the attacker's own,
        // never the joiner holding one.
        for k in 0..200u64 {
            let n = 10 + (k % 50) as u8;
            let displaced = d.connect(ip(n), next(), at(200 + k)).unwrap();
            assert_ne!(displaced, Some(joiner));
        }
        // It leaves (authenticated), and its place is free.
        d.leave(ip(99), joiner, at(500));
        assert_eq!(d.unauthenticated, 63);
        // Leaving twice, or after being displaced, changes nothing.
        d.leave(ip(99), joiner, at(501));
        d.leave(ip(1), first_of_1, at(501));
        assert_eq!(d.unauthenticated, 63);
    }

    #[test]
    fn an_ipv6_network_counts_as_one_address() {
        let t0 = Instant::now();
        let mut d = Door::new(Limits::default(), t0);
        for host in 1..=3u16 {
            let v6 = IpAddr::from([0xfe80, 0, 0, 0, 0, 0, 0, host]);
            d.attempt(v6, t0).unwrap();
            d.outcome(v6, true, t0);
        }
        let another = IpAddr::from([0xfe80, 0, 0, 0, 9, 9, 9, 9]);
        assert!(d.attempt(another, t0).is_err());
        let other_net = IpAddr::from([0xfe80, 0, 0, 1, 0, 0, 0, 1]);
        assert!(d.attempt(other_net, t0).is_ok());
    }

    #[test]
    fn addresses_with_recent_failures_are_remembered_up_to_the_limit() {
        let t0 = Instant::now();
        let limits = Limits {
            addresses: 4,
            ..Limits::default()
        };
        let mut d = Door::new(limits, t0);
        for n in 1..=4u8 {
            d.connect(ip(n), u64::from(n), t0).unwrap();
            d.attempt(ip(n), t0).unwrap();
            d.outcome(ip(n), true, t0);
            d.leave(ip(n), u64::from(n), t0);
        }
        // Four addresses remembered for their failures: a fifth waits.
        assert_eq!(d.connect(ip(5), 5, t0), Err(Refusal::Full));
        // An address that failed may still come back.
        assert_eq!(d.connect(ip(1), 6, t0), Ok(None));
        d.leave(ip(1), 6, t0);
        // Once their failures leave the window they are forgotten.
        let later = t0 + Duration::from_secs(600);
        assert_eq!(d.connect(ip(5), 7, later), Ok(None));
    }

    #[test]
    fn attempts_in_flight_count_against_an_address() {
        let t0 = Instant::now();
        let mut d = Door::new(Limits::default(), t0);
        for _ in 0..3 {
            d.attempt(ip(1), t0).unwrap();
        }
        assert!(
            d.attempt(ip(1), t0).is_err(),
            "parallel guesses are held back"
        );
    }
}
