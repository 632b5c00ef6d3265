using System.Collections.Concurrent;
using Akka.Actor;
using Switchboard.Supervision;

namespace Switchboard.IO;

/// <summary>
/// The bound on received frames that subscribers have not yet acknowledged, for one runtime. An IO actor
/// counts a frame's bytes when it hands the frame on, a fan-out counts them again for each subscriber
/// beyond the first, and each subscriber's <see cref="ReceivedAck"/> takes its copy off. While the total is
/// at the window, links stop reading once the batch in hand is decoded: the peer's sends then wait in TCP
/// (backpressure), and nothing is dropped. They read again when the total falls under half the window,
/// so a subscriber that keeps up does not wake every parked link for each acknowledgement.
/// Thread-safe: IO actors, endpoint actors and the supervisor use it from their own threads.
/// </summary>
internal sealed class FrameCredit
{
    private readonly long _window;
    private readonly ConcurrentDictionary<IActorRef, Ledger> _subscribers = new();
    private readonly ConcurrentQueue<(IActorRef Io, long LinkId)> _parked = new();
    private long _unacknowledged;

    private FrameCredit(long window) => _window = window;

    /// <summary>Where subscribers' <see cref="ReceivedAck"/> go: the sender of every <see cref="Received"/>.</summary>
    public IActorRef Acknowledgements { get; private set; } = ActorRefs.Nobody;

    /// <summary>A window of <paramref name="window"/> bytes, with the actor that takes its acknowledgements.</summary>
    public static FrameCredit Start(IActorRefFactory system, long window, string name)
    {
        var credit = new FrameCredit(window);
        credit.Acknowledgements = system.ActorOf(Props.Create(() => new AcknowledgementActor(credit)), name);
        return credit;
    }

    /// <summary>Bytes handed on and not yet acknowledged by every subscriber that got them.</summary>
    public long Unacknowledged => Interlocked.Read(ref _unacknowledged);

    public long Window => _window;

    /// <summary>Links should stop reading.</summary>
    public bool Exhausted => Unacknowledged >= _window;

    /// <summary>An IO actor hands a frame on: it counts until the fan-out has told the subscribers.</summary>
    public void HandedOn(int bytes) => Interlocked.Add(ref _unacknowledged, bytes);

    /// <summary>
    /// Tells each subscriber the frame, as sent by <see cref="Acknowledgements"/> (where their
    /// <see cref="ReceivedAck"/> go), and moves the frame's count from the hand-on to the subscribers.
    /// </summary>
    public void FanOut(IReadOnlyList<IActorRef> subscribers, string endpoint, byte[] payload)
    {
        Received? received = null;
        foreach (var subscriber in subscribers)
        {
            if (!_subscribers.TryGetValue(subscriber, out var ledger) || !ledger.Add(payload.Length))
            {
                continue; // unsubscribed after the list was handed out
            }

            Interlocked.Add(ref _unacknowledged, payload.Length);
            subscriber.Tell(received ??= new Received(endpoint, payload), Acknowledgements);
        }

        Release(payload.Length);
    }

    public void Subscribe(IActorRef subscriber) => _subscribers.TryAdd(subscriber, new Ledger());

    /// <summary>What a gone subscriber never acknowledged no longer holds the links back.</summary>
    public void Unsubscribe(IActorRef subscriber)
    {
        if (_subscribers.TryRemove(subscriber, out var ledger))
        {
            Release(ledger.Close());
        }
    }

    /// <summary>A subscriber acknowledged a frame; unknown subscribers and overstated counts are ignored.</summary>
    public void Acknowledged(IActorRef subscriber, int bytes)
    {
        if (_subscribers.TryGetValue(subscriber, out var ledger))
        {
            Release(ledger.Take(bytes));
        }
    }

    /// <summary>
    /// Called by an IO actor that found the window exhausted: the link waits for <see cref="Io.ResumeReading"/>.
    /// </summary>
    public void Park(IActorRef io, long linkId)
    {
        _parked.Enqueue((io, linkId));
        // Everything may have been acknowledged between the check and the enqueue.
        if (!Exhausted)
        {
            ResumeParked();
        }
    }

    private void Release(long bytes)
    {
        if (bytes == 0)
        {
            return;
        }

        var now = Interlocked.Add(ref _unacknowledged, -bytes);
        if (now <= _window / 2 && !_parked.IsEmpty)
        {
            ResumeParked();
        }
    }

    private void ResumeParked()
    {
        while (_parked.TryDequeue(out var parked))
        {
            parked.Io.Tell(new Io.ResumeReading(parked.LinkId), ActorRefs.NoSender);
        }
    }

    /// <summary>One subscriber's outstanding bytes; closed once it is gone, so late acknowledgements count for nothing.</summary>
    private sealed class Ledger
    {
        private readonly Lock _lock = new();
        private long _outstanding;
        private bool _closed;

        public bool Add(int bytes)
        {
            lock (_lock)
            {
                if (_closed)
                {
                    return false;
                }

                _outstanding += bytes;
                return true;
            }
        }

        /// <returns>the bytes actually released: never more than were outstanding.</returns>
        public long Take(int bytes)
        {
            lock (_lock)
            {
                var taken = Math.Clamp(bytes, 0, _outstanding);
                _outstanding -= taken;
                return taken;
            }
        }

        public long Close()
        {
            lock (_lock)
            {
                _closed = true;
                var outstanding = _outstanding;
                _outstanding = 0;
                return outstanding;
            }
        }
    }

    /// <summary>Takes subscribers' acknowledgements off the window, so no other actor's mailbox carries one per frame.</summary>
    private sealed class AcknowledgementActor : ReceiveActor
    {
        public AcknowledgementActor(FrameCredit credit) =>
            Receive<ReceivedAck>(ack => credit.Acknowledged(Sender, ack.Bytes));
    }
}
