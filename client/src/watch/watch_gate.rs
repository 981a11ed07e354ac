//! A limit on how many watch streams run at once (HTTP/1.1 allows ~6 connections per origin).
//! Only the long-lived watches pass through it: lists are short requests and run at once, so a
//! page shows every kind it asked for even while some of its watches wait their turn.
//! Places are handed out first come, first served; a watch that ends (server timeout) gives its
//! place to the next waiting one and queues again, so waiting kinds take turns being live.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

struct State {
    limit: usize,
    running: usize,
    next_ticket: u64,
    /// Waiting acquirers, oldest first.
    queue: VecDeque<(u64, Option<Waker>)>,
}

impl State {
    fn wake_front(&mut self) {
        if self.running < self.limit {
            if let Some((_, Some(waker))) = self.queue.front_mut() {
                waker.wake_by_ref();
            }
        }
    }
}

/// A counting gate shared by the watchers of one page (single-threaded, like the browser).
#[derive(Clone)]
pub struct WatchGate(Rc<RefCell<State>>);

impl std::fmt::Debug for WatchGate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let st = self.0.borrow();
        f.debug_struct("WatchGate")
            .field("limit", &st.limit)
            .field("running", &st.running)
            .field("waiting", &st.queue.len())
            .finish()
    }
}

/// A place in the gate; dropping it lets the next waiter in.
#[derive(Debug)]
pub struct Permit(WatchGate);

impl Drop for Permit {
    fn drop(&mut self) {
        let mut st = (self.0).0.borrow_mut();
        st.running = st.running.saturating_sub(1);
        st.wake_front();
    }
}

impl WatchGate {
    /// A gate that lets `limit` watches run at once.
    pub fn new(limit: usize) -> Self {
        WatchGate(Rc::new(RefCell::new(State {
            limit,
            running: 0,
            next_ticket: 0,
            queue: VecDeque::new(),
        })))
    }

    /// A place now, if one is free and nobody waits for it.
    pub fn try_enter(&self) -> Option<Permit> {
        let mut st = self.0.borrow_mut();
        (st.queue.is_empty() && st.running < st.limit).then(|| {
            st.running += 1;
            Permit(self.clone())
        })
    }

    /// Waits for a place (after everyone who waited before).
    pub fn enter(&self) -> Enter {
        let mut st = self.0.borrow_mut();
        let ticket = st.next_ticket;
        st.next_ticket += 1;
        st.queue.push_back((ticket, None));
        Enter {
            gate: self.clone(),
            ticket,
            done: false,
        }
    }

    /// Watches running now.
    pub fn running(&self) -> usize {
        self.0.borrow().running
    }

    /// Watches waiting for a place.
    pub fn waiting(&self) -> usize {
        self.0.borrow().queue.len()
    }
}

/// The future of [`WatchGate::enter`]; dropping it leaves the queue.
#[must_use = "a place is taken only when awaited"]
pub struct Enter {
    gate: WatchGate,
    ticket: u64,
    done: bool,
}

impl Future for Enter {
    type Output = Permit;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Permit> {
        let gate = self.gate.clone();
        let mut st = gate.0.borrow_mut();
        let first = st.queue.front().map(|(t, _)| *t) == Some(self.ticket);
        if first && st.running < st.limit {
            st.queue.pop_front();
            st.running += 1;
            // The next in line may fit too.
            st.wake_front();
            self.done = true;
            return Poll::Ready(Permit(gate.clone()));
        }
        let ticket = self.ticket;
        if let Some((_, waker)) = st.queue.iter_mut().find(|(t, _)| *t == ticket) {
            *waker = Some(cx.waker().clone());
        }
        Poll::Pending
    }
}

impl Drop for Enter {
    fn drop(&mut self) {
        if !self.done {
            let mut st = self.gate.0.borrow_mut();
            st.queue.retain(|(t, _)| *t != self.ticket);
            st.wake_front();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::FutureExt;

    #[test]
    fn waiters_enter_in_order_as_places_free_up() {
        let gate = WatchGate::new(2);
        let a = gate.try_enter().expect("a place");
        let _b = gate.try_enter().expect("a second place");
        assert!(gate.try_enter().is_none(), "full");
        let mut c = Box::pin(gate.enter());
        let mut d = Box::pin(gate.enter());
        assert!(c.as_mut().now_or_never().is_none());
        assert!(d.as_mut().now_or_never().is_none());
        assert_eq!((gate.running(), gate.waiting()), (2, 2));
        drop(a);
        assert!(
            gate.try_enter().is_none(),
            "a waiter comes before a newcomer"
        );
        assert!(d.as_mut().now_or_never().is_none(), "d waits behind c");
        let c_permit = c.as_mut().now_or_never().expect("c enters");
        assert_eq!((gate.running(), gate.waiting()), (2, 1));
        drop(c_permit);
        assert!(d.as_mut().now_or_never().is_some());
    }

    #[test]
    fn a_waiter_that_gives_up_leaves_the_queue() {
        let gate = WatchGate::new(1);
        let a = gate.try_enter().unwrap();
        let mut b = Box::pin(gate.enter());
        assert!(b.as_mut().now_or_never().is_none());
        let mut c = Box::pin(gate.enter());
        drop(b);
        assert_eq!(gate.waiting(), 1);
        drop(a);
        let _c = c.as_mut().now_or_never().expect("c enters");
        assert_eq!((gate.running(), gate.waiting()), (1, 0));
    }
}
