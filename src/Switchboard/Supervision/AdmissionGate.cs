using System.Collections.Concurrent;
using Akka;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using Switchboard.Configuration;
using Switchboard.Diagnostics;

namespace Switchboard.Supervision;

/// <summary>
/// The global cap on concurrent handshakes, as an Akka.Streams pipeline: a FIFO source, an optional
/// throttle (handshakes per second), and <c>SelectAsyncUnordered(cap)</c> whose in-flight tasks ARE the
/// slots. A slot is a task that completes when its endpoint releases it, when the endpoint dies, or at a
/// safety deadline — so a lost release can delay a slot but never leak it. Time spent queued here does
/// not count against any endpoint's handshake timeout: endpoints start their clocks on the grant.
/// </summary>
internal sealed class AdmissionGate : IDisposable
{
    private readonly ConcurrentDictionary<long, Waiting> _requests = new();
    private readonly IActorRef _source;
    private readonly TimeSpan _slotDeadline;
    private long _lastTicket;
    private int _queued;
    private int _active;

    public AdmissionGate(AdmissionSettings settings, TimeSpan slotDeadline, IMaterializer materializer)
    {
        Settings = settings;
        _slotDeadline = slotDeadline;
        var source = Source.ActorRef<Waiting>(int.MaxValue / 2, OverflowStrategy.DropNew);
        if (settings.HandshakesPerSecond > 0)
        {
            var perSecond = Math.Max(1, (int)Math.Ceiling(settings.HandshakesPerSecond));
            source = source.Throttle(perSecond, TimeSpan.FromSeconds(1), perSecond, ThrottleMode.Shaping);
        }

        _source = source
            .SelectAsyncUnordered(settings.MaxConcurrentHandshakes, Grant)
            .To(Sink.Ignore<NotUsed>())
            .WithAttributes(ActorAttributes.CreateSupervisionStrategy(Akka.Streams.Supervision.Deciders.ResumingDecider))
            .Run(materializer);
    }

    /// <summary>The gate for <paramref name="settings"/>, with a slot deadline no healthy attempt reaches.</summary>
    public static AdmissionGate Start(SwitchboardSettings settings, IMaterializer materializer)
    {
        var connection = settings.Connection;
        var slotDeadline = connection.ConnectTimeout * 2 + connection.HandshakeTimeout + TimeSpan.FromSeconds(10);
        return new AdmissionGate(settings.Admission, slotDeadline, materializer);
    }

    public AdmissionSettings Settings { get; }

    public int Queued => Volatile.Read(ref _queued);

    public int Active => Volatile.Read(ref _active);

    /// <summary>Queues <paramref name="endpoint"/>; it is told <see cref="SlotGranted"/> with the returned ticket in FIFO order.</summary>
    public long Request(IActorRef endpoint)
    {
        var ticket = Interlocked.Increment(ref _lastTicket);
        var request = new Waiting(ticket, endpoint);
        _requests[ticket] = request;
        Interlocked.Increment(ref _queued);
        SwitchboardMetrics.AdmissionQueueLength.Add(1);
        _source.Tell(request);
        return ticket;
    }

    /// <summary>Gives a slot back, or withdraws a request still queued. Idempotent; safe from any thread.</summary>
    public void Release(long ticket)
    {
        if (_requests.TryRemove(ticket, out var request))
        {
            request.Released.TrySetResult(NotUsed.Instance);
        }
    }

    public void Dispose() => _source.Tell(PoisonPill.Instance);

    private async Task<NotUsed> Grant(Waiting request)
    {
        Interlocked.Decrement(ref _queued);
        SwitchboardMetrics.AdmissionQueueLength.Add(-1);
        if (request.Released.Task.IsCompleted)
        {
            return NotUsed.Instance; // withdrawn while queued (endpoint removed or stopped)
        }

        Interlocked.Increment(ref _active);
        SwitchboardMetrics.ActiveHandshakes.Add(1);
        try
        {
            request.Endpoint.Tell(new SlotGranted(request.Ticket));
            await Task.WhenAny(request.Released.Task, Task.Delay(_slotDeadline)).ConfigureAwait(false);
        }
        finally
        {
            _requests.TryRemove(request.Ticket, out _);
            Interlocked.Decrement(ref _active);
            SwitchboardMetrics.ActiveHandshakes.Add(-1);
        }

        return NotUsed.Instance;
    }

    /// <summary>The gate's answer: this endpoint may handshake now, until it releases the ticket.</summary>
    internal sealed record SlotGranted(long Ticket);

    internal sealed record Waiting(long Ticket, IActorRef Endpoint)
    {
        public TaskCompletionSource<NotUsed> Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
