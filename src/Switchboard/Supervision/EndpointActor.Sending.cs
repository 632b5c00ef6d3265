using Akka.Actor;
using Switchboard.Diagnostics;
using Switchboard.IO;

namespace Switchboard.Supervision;

/// <summary>
/// Sends: straight to the IO actor on a live link (one IO actor per link keeps them in order), otherwise
/// into a bounded queue. Whatever cannot be delivered is answered with <see cref="SendFailed"/>.
/// </summary>
internal sealed partial class EndpointActor
{
    private readonly LinkedList<(ReadOnlyMemory<byte> Payload, IActorRef ReplyTo)> _queue = new();

    private void OnSend(Send send)
    {
        if (_state == EndpointState.Connected && _queue.Count == 0)
        {
            _io!.Tell(new Io.WriteFrame(_linkId, send.Payload, Sender));
            return;
        }

        if (_queue.Count >= _context.Settings.Connection.SendQueueSize)
        {
            Reject(send.Payload, Sender, $"send queue of {_endpoint.Name} is full ({_context.Settings.Connection.SendQueueSize} frames) while it is {_state.ToString().ToLowerInvariant()}" + (_lastError is null ? string.Empty : $"; last error: {_lastError}"));
            return;
        }

        _queue.AddLast((send.Payload, Sender));
    }

    /// <summary>A write that met a link already gone goes back to the front, in order, for the next link.</summary>
    private void OnFrameNotWritten(Io.FrameNotWritten notWritten)
    {
        IActorRef replyTo = notWritten.ReplyTo ?? ActorRefs.Nobody;
        if (_state == EndpointState.Connected && notWritten.LinkId != _linkId)
        {
            // Already reconnected: this frame predates the new link and goes first.
            _io!.Tell(new Io.WriteFrame(_linkId, notWritten.Payload, replyTo));
            return;
        }

        _returned.Add((notWritten.Payload, replyTo));
    }

    private readonly List<(ReadOnlyMemory<byte> Payload, IActorRef ReplyTo)> _returned = [];

    private void DrainQueue()
    {
        foreach (var (payload, replyTo) in _returned)
        {
            _io!.Tell(new Io.WriteFrame(_linkId, payload, replyTo));
        }

        _returned.Clear();
        while (_queue.First is { } first)
        {
            _queue.RemoveFirst();
            _io!.Tell(new Io.WriteFrame(_linkId, first.Value.Payload, first.Value.ReplyTo));
        }
    }

    private void OnRetire(Retire retire)
    {
        if (_state == EndpointState.Connected)
        {
            _io?.Tell(new Io.CloseLink(_linkId, retire.Reason));
        }
        else if (_io is not null)
        {
            _io.Tell(new Io.AbortLink(_linkId, new LinkFailure(LinkFailureCause.Closed, retire.Reason)));
        }

        foreach (var (payload, replyTo) in _returned.Concat(_queue))
        {
            Reject(payload, replyTo, $"endpoint {_endpoint.Name} {retire.Reason}");
        }

        _returned.Clear();
        _queue.Clear();
        Context.Stop(Self);
    }

    private void Reject(ReadOnlyMemory<byte> payload, IActorRef replyTo, string reason)
    {
        SwitchboardMetrics.MessagesFailed.Add(1);
        if (!replyTo.IsNobody())
        {
            replyTo.Tell(new SendFailed(_endpoint.Name, payload, reason));
        }
    }
}
