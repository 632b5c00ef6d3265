using Akka.Actor;
using Akka.Event;
using Switchboard.Diagnostics;

namespace Switchboard.IO;

/// <summary>How links end: deadlines, failures with a named cause, and graceful close_notify.</summary>
internal sealed partial class IoActor
{
    /// <summary>
    /// A reloaded CRL names these peers: their live links end now, and their next handshake is refused. Serials are
    /// matched without their issuer: in a bundle from several CAs, a link whose serial another CA revoked is closed
    /// too, and comes back through a full handshake that OpenSSL checks against the right list.
    /// </summary>
    private void CloseRevoked(IReadOnlySet<string> serials)
    {
        foreach (var link in _links.Values.Where(l => l.State == LinkState.Up && l.PeerSerial is { } serial && serials.Contains(serial)).ToArray())
        {
            WithLink(link, l => Fail(l, new LinkFailure(LinkFailureCause.Certificate, $"{l.Name}'s certificate (serial {l.PeerSerial}) was revoked by the reloaded CRL"), sendCloseNotify: true));
        }
    }

    /// <summary>Gives the link one deadline (replacing any): past it, if the link is still in <paramref name="stage"/>, it fails.</summary>
    private void ArmDeadline(Link link, LinkState stage, TimeSpan timeout)
    {
        var due = Now + timeout;
        _deadlines.Arm(link, stage, due);
        if (_deadlineTimerDue is not { } armed || due < armed)
        {
            StartDeadlineTimer(due);
        }
    }

    private void StartDeadlineTimer(TimeSpan due)
    {
        _deadlineTimerDue = due;
        var wait = due - Now;
        Timers.StartSingleTimer(nameof(DeadlinesDue), DeadlinesDue.Instance, wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
    }

    private void OnDeadlinesDue()
    {
        _deadlineTimerDue = null;
        _expired.Clear();
        _deadlines.TakeExpired(Now, _findLink, _expired);
        foreach (var (link, stage) in _expired)
        {
            WithLink(link, l => OnDeadline(l, stage));
        }

        _expired.Clear();
        // Handling may have armed deadlines of its own (a failed link's close); the timer follows the earliest.
        if (_deadlines.NextDue(_findLink) is { } next && (_deadlineTimerDue is not { } armed || next < armed))
        {
            StartDeadlineTimer(next);
        }
    }

    private void OnDeadline(Link link, LinkState stage)
    {
        if (stage == LinkState.Closing)
        {
            Forget(link);
            return;
        }

        if (link.State != stage)
        {
            return;
        }

        var failure = stage == LinkState.Connecting
            ? new LinkFailure(LinkFailureCause.ConnectTimeout, $"no TCP connection to {link.Remote} within {_connection.ConnectTimeout.TotalSeconds:0.###} s (connect-timeout)")
            : new LinkFailure(LinkFailureCause.HandshakeTimeout, link.BytesReceived == 0
                ? $"handshake with {link.Name} did not complete within {_connection.HandshakeTimeout.TotalSeconds:0.###} s: the peer accepted TCP but sent nothing (handshake-timeout)"
                : $"handshake with {link.Name} did not complete within {_connection.HandshakeTimeout.TotalSeconds:0.###} s: the peer stalled after {link.BytesReceived} bytes (handshake-timeout)");
        Fail(link, failure);
    }

    /// <summary>Ends a link and tells its owner why.</summary>
    private void Fail(Link link, LinkFailure failure, bool sendCloseNotify = false)
    {
        if (!_links.ContainsKey(link.Id))
        {
            return;
        }

        try
        {
            // Behind what this message produced before the failure (session tickets, an alert, frames).
            if (sendCloseNotify && link.Tls is not null && link.State == LinkState.Up)
            {
                link.Tls.Close(_toSend);
            }

            // Whatever TLS produced last (an alert, close_notify) goes out before the socket closes.
            if (_toSend.WrittenCount > 0)
            {
                link.Write(_toSend.WrittenSpan, _io.MaxSendBufferBytes, out _);
                _toSend.ResetWrittenCount();
            }
        }
        catch (Exception e)
        {
            _log.Debug("could not send the last flight to {0}: {1}", link.Name, e.Message);
        }

        if (link.State is LinkState.Connecting or LinkState.Handshaking)
        {
            SwitchboardMetrics.HandshakeFailed(link.Direction == LinkDirection.Outbound ? "outbound" : "inbound", failure.Cause.Tag());
        }

        Notify(link, failure);
        ReturnUnsent(link);
        Forget(link);
    }

    /// <summary>Frames still in the link's send buffer go back to whoever can resend them, in order, after its LinkDown.</summary>
    private static void ReturnUnsent(Link link)
    {
        // An acknowledged link's sender keeps every unacknowledged frame and resends from what the peer reports.
        if (link.Acknowledged)
        {
            return;
        }

        foreach (var (payload, replyTo) in link.TakeUnsent())
        {
            if (link.Outbound is { } outbound)
            {
                outbound.Owner.Tell(new Io.FrameNotWritten(link.Id, payload, replyTo));
            }
            else
            {
                link.Inbound!.Handler.OnUnsent(link.Inbound.Handle, payload, replyTo);
            }
        }
    }

    private void Notify(Link link, LinkFailure failure)
    {
        switch (link.State, link.Outbound, link.Inbound)
        {
            case (LinkState.Up, { } outbound, _):
                outbound.Owner.Tell(new Io.LinkDown(link.Id, failure));
                break;
            case (LinkState.Up, _, { } inbound):
                TellLinkDown(inbound, failure);
                break;
            case (LinkState.Connecting or LinkState.Handshaking, { } outbound, _):
                outbound.Owner.Tell(new Io.LinkFailed(link.Id, failure, link.State == LinkState.Handshaking));
                break;
            case (LinkState.Connecting or LinkState.Handshaking, _, { } inbound):
                inbound.Listener.Tell(new Io.InboundHandshakeEnded(link.Id, false, failure.Cause == LinkFailureCause.HandshakeTimeout));
                break;
        }
    }

    /// <summary>close_notify, then close once the kernel took our last bytes (bounded by close-timeout).</summary>
    private void CloseGracefully(Link link, string reason)
    {
        if (link.State is LinkState.Closing or LinkState.Closed)
        {
            return;
        }

        if (link.State == LinkState.Up && link.Tls is not null)
        {
            _toSend.ResetWrittenCount();
            link.Tls.Close(_toSend);
            Flush(link);
            if (!_links.ContainsKey(link.Id))
            {
                return;
            }
        }

        if (link.State == LinkState.Up && link.Inbound is { } inbound)
        {
            // The handler may have asked for this itself, but it must see every link end exactly once.
            TellLinkDown(inbound, new LinkFailure(LinkFailureCause.Closed, reason));
        }

        if (link.PendingBytes == 0)
        {
            Forget(link);
            return;
        }

        link.State = LinkState.Closing;
        ArmDeadline(link, LinkState.Closing, _connection.CloseTimeout);
    }
}
