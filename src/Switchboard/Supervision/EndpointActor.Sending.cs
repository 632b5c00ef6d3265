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
        if (CanWrite && _queue.Count == 0 && _returned.Count == 0)
        {
            Write(send.Payload, Sender);
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
        if (notWritten.Seq > 0)
        {
            return; // numbered: still in the window, resent from where the peer reports delivery
        }

        IActorRef replyTo = notWritten.ReplyTo ?? ActorRefs.Nobody;
        if (CanWrite && notWritten.LinkId != _linkId)
        {
            // Already reconnected: this frame predates the new link and goes first.
            Write(notWritten.Payload, replyTo);
            return;
        }

        _returned.Add((notWritten.Payload, replyTo));
    }

    private readonly List<(ReadOnlyMemory<byte> Payload, IActorRef ReplyTo)> _returned = [];

    /// <summary>Frames returned by the IO actor, then the queue, as far as the link takes them now.</summary>
    private void DrainQueue()
    {
        while (_returned.Count > 0 && CanWrite)
        {
            var (payload, replyTo) = _returned[0];
            _returned.RemoveAt(0);
            Write(payload, replyTo);
        }

        while (_queue.First is { } first && _returned.Count == 0 && CanWrite)
        {
            _queue.RemoveFirst();
            Write(first.Value.Payload, first.Value.ReplyTo);
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

        FailAllPending($"endpoint {_endpoint.Name} {retire.Reason}");
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
