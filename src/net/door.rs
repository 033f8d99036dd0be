//! Who may try the join code, and how often: the host's limits before a
//! network connection has authenticated (as an SSH server has them). Pure
//! bookkeeping with the time passed in, so every limit is tested exactly.
//!
//! - **Guesses.** Each address may get [`Limits::free`] codes wrong (an
//!   attempt in flight counts as one); after that it waits before each
//!   further attempt, [`Limits::backoff`] after the first extra failure
//!   and twice as long after each one more, up to [`Limits::longest_wait`].
//!   An address quiet for [`Limits::forget_after`], or that gets the code
//!   right, starts afresh. Every
//!   attempt also needs a token from the session-wide budget: it starts at [`Limits::burst`] and refills at
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
//! - **Addresses remembered**: at most [`Limits::addresses`]; a new one
//!   takes the place of the one quiet longest (which starts afresh if it
//!   comes back; the session-wide budget still holds).

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::time::{Duration, Instant};

#[derive(Clone, Debug)]
pub struct Limits {
    /// Wrong codes one address may try before it has to wait…
    pub free: u32,
    /// …this long before the next attempt, twice as long after each
    /// further failure…
    pub backoff: Duration,
    /// …but never longer than this.
    pub longest_wait: Duration,
    /// An address with no wrong code for this long starts afresh.
    pub forget_after: Duration,
    /// Wrong codes the whole network may try at once…
    pub burst: u32,
    /// …and one more each this often.
    pub refill_every: Duration,
    pub unauthenticated: usize,
    pub unauthenticated_per_address: usize,
    /// Addresses remembered at once; beyond this, a new one takes the place
    /// of the one quiet longest.
    pub addresses: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            free: 3,
            backoff: Duration::from_secs(30),
            longest_wait: Duration::from_secs(3600),
            forget_after: Duration::from_secs(3 * 3600),
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
    /// Wrong codes since it was last forgotten, and when the last was.
    failures: u32,
    last: Option<Instant>,
    in_flight: u32,
    /// Its connections waiting to authenticate, oldest first: (id, since).
    open: VecDeque<(u64, Instant)>,
}

/// Why an attempt or a connection is turned away.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The whole network has tried too many wrong codes lately (this
    /// address may be new): try again after this long.
    Network(Duration),
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

impl Limits {
    /// How long an address that has got `failures` codes wrong must wait
    /// after the last before trying again.
    pub fn wait_after(&self, failures: u32) -> Duration {
        if failures < self.free {
            return Duration::ZERO;
        }
        let doublings = (failures - self.free).min(30);
        self.backoff
            .saturating_mul(1 << doublings)
            .min(self.longest_wait)
    }
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
        let forget_after = self.limits.forget_after;
        if let Some(a) = self.addresses.get_mut(&ip) {
            if a.last
                .is_some_and(|t| now.saturating_duration_since(t) >= forget_after)
            {
                a.failures = 0;
                a.last = None;
            }
            if a.failures == 0 && a.in_flight == 0 && a.open.is_empty() {
                self.addresses.remove(&ip);
            }
        }
    }

    /// Makes room for a new address: the one quiet longest that has nothing
    /// open or in flight goes. `false` when none can.
    fn make_room(&mut self) -> bool {
        let quietest = self
            .addresses
            .iter()
            .filter(|(_, a)| a.in_flight == 0 && a.open.is_empty())
            .min_by_key(|(_, a)| a.last)
            .map(|(ip, _)| *ip);
        quietest.is_some_and(|ip| self.addresses.remove(&ip).is_some())
    }

    /// Connection `id` from `ip`, before it authenticates. When every place
    /// is taken, the answer names the connection it displaced, which the
    /// host closes.
    pub fn connect(&mut self, ip: IpAddr, id: u64, now: Instant) -> Result<Option<u64>, Refusal> {
        let ip = source(ip);
        self.forget_old(ip, now);
        if !self.addresses.contains_key(&ip)
            && self.addresses.len() >= self.limits.addresses
            && !self.make_room()
        {
            return Err(Refusal::Full);
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
            && a.failures.saturating_add(a.in_flight) >= limits.free
        {
            // Attempts in flight hold the next one back until they end;
            // after that, the wait since the last failure.
            let wait = match a.last {
                Some(last) if a.in_flight == 0 => limits
                    .wait_after(a.failures)
                    .saturating_sub(now.saturating_duration_since(last)),
                _ => Duration::from_secs(1),
            };
            if a.in_flight > 0 || !wait.is_zero() {
                return Err(Refusal::Wait(wait.max(Duration::from_secs(1))));
            }
        }
        if self.tokens == 0 {
            let every = limits.refill_every;
            let wait = every.saturating_sub(now.saturating_duration_since(self.refilled));
            return Err(Refusal::Network(wait.max(Duration::from_secs(1))));
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
                a.failures = a.failures.saturating_add(1);
                a.last = Some(now);
            } else {
                // It knows the code: earlier typing mistakes are forgiven.
                a.failures = 0;
                a.last = None;
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
    fn one_address_waits_longer_after_each_wrong_code_beyond_three_and_others_are_unaffected() {
        let t0 = Instant::now();
        let mut d = Door::new(Limits::default(), t0);
        let secs = |n: u64| t0 + Duration::from_secs(n);
        let fail = |d: &mut Door, at: Instant| {
            d.attempt(ip(1), at).unwrap();
            d.outcome(ip(1), true, at);
        };
        // Three typing mistakes cost nothing but the three attempts.
        for _ in 0..3 {
            fail(&mut d, t0);
        }
        assert_eq!(
            d.attempt(ip(1), t0),
            Err(Refusal::Wait(Duration::from_secs(30)))
        );
        // Another address is not held back by the first one's failures.
        d.attempt(ip(2), t0).unwrap();
        d.outcome(ip(2), false, t0);
        // Then 30 s, 1, 2, 4, 8, 16, 32 minutes, and never more than an hour.
        let mut at = 0;
        for wait in [30, 60, 120, 240, 480, 960, 1920, 3600, 3600] {
            assert_eq!(
                d.attempt(ip(1), secs(at + wait - 1)),
                Err(Refusal::Wait(Duration::from_secs(1)))
            );
            at += wait;
            fail(&mut d, secs(at));
        }
        assert_eq!(d.failures, 12);
        // The most one address can get wrong in three hours, trying
        // whenever it may: 11.
        let mut e = Door::new(Limits::default(), t0);
        for s in 0..3 * 3600 {
            if e.attempt(ip(3), secs(s)).is_ok() {
                e.outcome(ip(3), true, secs(s));
            }
        }
        assert_eq!(e.failures, 11);
        // Three hours without a wrong code, and it starts afresh.
        let later = at + 3 * 3600;
        for _ in 0..3 {
            fail(&mut d, secs(later));
        }
        assert!(d.attempt(ip(1), secs(later)).is_err());
    }

    #[test]
    fn getting_the_code_right_forgives_earlier_mistakes() {
        let t0 = Instant::now();
        let mut d = Door::new(Limits::default(), t0);
        for _ in 0..3 {
            d.attempt(ip(1), t0).unwrap();
            d.outcome(ip(1), true, t0);
        }
        let later = t0 + Duration::from_secs(30);
        d.attempt(ip(1), later).unwrap();
        d.outcome(ip(1), false, later);
        // A second laptop at the same address (or the same one after a
        // restart) has its three tries again.
        for _ in 0..3 {
            d.attempt(ip(1), later).unwrap();
            d.outcome(ip(1), true, later);
        }
        assert!(d.attempt(ip(1), later).is_err());
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
    fn when_every_address_is_remembered_the_one_quiet_longest_makes_room() {
        let t0 = Instant::now();
        let limits = Limits {
            addresses: 4,
            ..Limits::default()
        };
        let mut d = Door::new(limits, t0);
        let secs = |n: u64| t0 + Duration::from_secs(n);
        for n in 1..=4u8 {
            let at = secs(u64::from(n));
            d.connect(ip(n), u64::from(n), at).unwrap();
            d.attempt(ip(n), at).unwrap();
            d.outcome(ip(n), true, at);
            d.leave(ip(n), u64::from(n), at);
        }
        // A fifth address gets in; the first, quiet longest, is forgotten.
        assert_eq!(d.connect(ip(5), 5, secs(10)), Ok(None));
        assert_eq!(d.addresses.len(), 4);
        assert!(!d.addresses.contains_key(&ip(1)));
        assert!(d.addresses.contains_key(&ip(2)));
        // While every remembered address has a connection waiting, there is
        // no room to make.
        for n in 2..=4u8 {
            d.connect(ip(n), 10 + u64::from(n), secs(11)).unwrap();
        }
        assert_eq!(d.connect(ip(6), 20, secs(12)), Err(Refusal::Full));
        // Wrong codes still count for the whole network, remembered or not.
        assert_eq!(d.failures, 4);
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

    /// A fresh address turned away because the whole network has used its
    /// budget is told that, not that it guessed too often itself.
    #[test]
    fn the_network_budget_says_it_is_the_networks() {
        let t0 = Instant::now();
        let mut d = Door::new(
            Limits {
                burst: 2,
                ..Limits::default()
            },
            t0,
        );
        for n in 1..=2 {
            assert!(d.attempt(ip(n), t0).is_ok());
            d.outcome(ip(n), true, t0);
        }
        assert!(matches!(d.attempt(ip(9), t0), Err(Refusal::Network(_))));
    }
}
