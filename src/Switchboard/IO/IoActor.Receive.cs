using System.Diagnostics;
using System.Net.Sockets;
using Akka.Actor;
using Switchboard.Diagnostics;
using Switchboard.IO.Delivery;
using Switchboard.Resumption;
using Switchboard.Tls;

namespace Switchboard.IO;

/// <summary>Ciphertext in: drain the socket, feed the TLS state machine, act on what it reports.</summary>
internal sealed partial class IoActor
{
    private void OnReadable(Link link, SocketError error)
    {
        if (link.State is LinkState.Closed or LinkState.Connecting)
        {
            return;
        }

        if (error != SocketError.Success)
        {
            Fail(link, new LinkFailure(LinkFailureCause.Reset, $"connection {DescribeReset(error)} by {link.Name}"));
            return;
        }

        for (var i = 0; i < ReadsPerWakeup; i++)
        {
            var result = link.TryRead(_readBuffer, out var received);
            if (result == SocketError.WouldBlock)
            {
                break;
            }

            if (result != SocketError.Success)
            {
                Fail(link, new LinkFailure(LinkFailureCause.Reset, $"connection {DescribeReset(result)} by {link.Name}"));
                return;
            }

            if (received == 0)
            {
                var stage = link.State == LinkState.Up ? "without close_notify" : "during the handshake";
                Fail(link, new LinkFailure(LinkFailureCause.PeerClosed, $"{link.Name} closed the connection {stage}"));
                return;
            }

            link.LastReceivedAt = Now;
            link.BytesReceived += received;
            if (!Feed(link, _readBuffer.AsSpan(0, received)))
            {
                return;
            }

            if (link.Credit is { Exhausted: true } credit && link.State == LinkState.Up)
            {
                // Subscribers are behind: leave the rest in the kernel, so the peer's sends wait in TCP.
                link.ReadingPaused = true;
                credit.Park(Self, link.Id);
                return;
            }
        }

        // After a full budget of reads the wait completes at once (a message of our own on the event loop,
        // a zero-byte receive on .NET's engine), which yields to other links' messages in between: one
        // chatty peer cannot starve the rest.
        link.WaitReadable();
    }

    private void OnSocketEvents(SocketEvents events)
    {
        for (var i = 0; i < events.Count; i++)
        {
            WithLink(events.Links[i], events.Masks[i], static (io, link, mask) => io.OnSocketEvent(link, mask));
        }
    }

    private void OnSocketEvent(Link link, uint mask)
    {
        if (link.State == LinkState.Connecting)
        {
            if ((mask & (SocketReactor.Out | SocketReactor.Err | SocketReactor.Hup)) == 0)
            {
                return;
            }

            // The event may also say that the peer already wrote: that edge will not come again, so it is read below.
            OnConnected(link, link.ConnectResult(mask));
            if (!_links.ContainsKey(link.Id) || link.State == LinkState.Connecting)
            {
                return;
            }
        }

        if ((mask & (SocketReactor.In | SocketReactor.RdHup | SocketReactor.Hup | SocketReactor.Err)) != 0)
        {
            link.MarkReadable();
            if (!link.ReadingPaused)
            {
                OnReadable(link, SocketError.Success);
            }
        }

        if ((mask & SocketReactor.Out) != 0 && link.SendInProgress && _links.ContainsKey(link.Id))
        {
            var error = link.FlushPending(out var sent);
            OnSent(link, sent, error);
        }
    }

    private void ResumeReading(Link link)
    {
        if (!link.ReadingPaused)
        {
            return;
        }

        link.ReadingPaused = false;
        // The silence while parked was ours: the peer's idle clock starts again now.
        link.LastReceivedAt = Now;
        link.WaitReadable();
    }

    /// <returns>false when the link is gone.</returns>
    private bool Feed(Link link, ReadOnlySpan<byte> ciphertext)
    {
        _toSend.ResetWrittenCount();
        _plaintext.ResetWrittenCount();
        var progress = link.Tls!.Receive(ciphertext, _toSend, _plaintext);
        if ((progress & TlsProgress.HandshakeCompleted) != 0)
        {
            progress |= AppendResume(link);
        }

        return Apply(link, progress);
    }

    /// <summary>
    /// Acts on what the TLS state machine reported, in the order it happened, then writes what this read
    /// produced in one go. On an accepting link the read that ends the handshake carries the client's Resume
    /// as well: the session tickets, what the handler sent from <see cref="InboundHandler.OnLinkUp"/> and the
    /// Ack then leave in one write and one segment, read by the peer in one wake-up.
    /// </summary>
    /// <returns>false when the link is gone.</returns>
    private bool Apply(Link link, TlsProgress progress)
    {
        // Sessions first: a TLS 1.2 session comes with the handshake's end, and an owner that is also the sink
        // (the probe) must hold it when it hears the link is up and opens the next one. The other way round, a
        // preempted IO thread let the next connection start without it.
        if ((progress & TlsProgress.NewSessions) != 0)
        {
            ForwardSessions(link);
        }

        if ((progress & TlsProgress.HandshakeCompleted) != 0)
        {
            OnHandshakeCompleted(link);
        }

        if (_plaintext.WrittenCount > 0 && link.State == LinkState.Up && !DecodeFrames(link))
        {
            return false;
        }

        if ((progress & TlsProgress.Failed) != 0)
        {
            var failure = link.Tls!.Failure;
            Fail(link, new LinkFailure(Classify(failure), failure?.Reason ?? "TLS failure"));
            return false;
        }

        if ((progress & TlsProgress.PeerClosed) != 0)
        {
            // Answer close_notify with ours, so the session stays resumable for both sides.
            Fail(link, new LinkFailure(LinkFailureCause.PeerClosed, $"{link.Name} closed the link (close_notify)"), sendCloseNotify: true);
            return false;
        }

        return _links.ContainsKey(link.Id) && Flush(link);
    }

    private void OnHandshakeCompleted(Link link)
    {
        var info = link.Tls!.Handshake!;
        if (info is { Resumed: true, PeerNotAfterUtc: null } && link.Outbound?.ResumeChain is { } chain)
        {
            // Resumed from a session kept without the certificate: its chain remembers what the certificate said.
            info = info with { PeerNotAfterUtc = chain.PeerNotAfterUtc, PeerSerial = chain.PeerSerial };
        }

        link.PeerSerial = info.PeerSerial;
        var elapsed = Stopwatch.GetElapsedTime(link.HandshakeStartedAt);
        link.State = LinkState.Up;
        link.Acknowledged = info.Acknowledged;
        LinkDeadlines.Disarm(link);
        var direction = link.Direction == LinkDirection.Outbound ? "outbound" : "inbound";
        SwitchboardMetrics.HandshakeCompleted(direction, info.Resumed, info.Protocol, info.EphemeralKeyExchange, elapsed.TotalSeconds);
        link.LastReceivedAt = Now;
        link.LastSentAt = Now;

        if (link.Outbound is { } outbound)
        {
            outbound.Owner.Tell(new Io.LinkUp(link.Id, Self, info, elapsed, link.Remote));
            return;
        }

        var inbound = link.Inbound!;
        inbound.Listener.Tell(new Io.InboundHandshakeEnded(link.Id, true));
        inbound.Handle.Handshake = info;
        if (info.Acknowledged)
        {
            inbound.Window = new ReceiveWindow(inbound.Deliveries);
        }

        // What the handler sends from here is written with the rest of this read's output.
        Call(inbound, static (handler, handle) => handler.OnLinkUp(handle));
    }

    private void ForwardSessions(Link link)
    {
        var sessions = link.Tls!.TakeNewSessions();
        if (sessions.Count == 0)
        {
            return;
        }

        if (link.Outbound is { SessionSink: { } sink, ResumptionKey: { } key })
        {
            var handshake = link.Tls.Handshake;
            sink.Tell(new ClientSessionsReceived(key, sessions, handshake?.Resumed ?? false, handshake?.PeerNotAfterUtc, handshake?.PeerSerial));
            return;
        }

        foreach (var session in sessions)
        {
            session.Dispose();
        }
    }

    private void OnSent(Link link, int bytes, SocketError error)
    {
        if (error != SocketError.Success)
        {
            Fail(link, new LinkFailure(LinkFailureCause.Reset, $"connection {DescribeReset(error)} by {link.Name} while sending"));
            return;
        }

        link.SendCompleted(bytes);
        if (link.State == LinkState.Closing && link.PendingBytes == 0)
        {
            Forget(link);
        }
    }

    /// <summary>Hands what TLS produced to the socket.</summary>
    /// <returns>false when the link is gone (reset, or a peer that does not read).</returns>
    private bool Flush(Link link)
    {
        if (_toSend.WrittenCount == 0)
        {
            return true;
        }

        link.LastSentAt = Now;
        var ok = link.Write(_toSend.WrittenSpan, _io.MaxSendBufferBytes, out var error);
        _toSend.ResetWrittenCount();
        if (ok)
        {
            return true;
        }

        Fail(link, error == SocketError.Success
            ? new LinkFailure(LinkFailureCause.SendOverflow, $"{link.Name} is not reading: more than {_io.MaxSendBufferBytes} bytes would be queued")
            : new LinkFailure(LinkFailureCause.Reset, $"connection {DescribeReset(error)} by {link.Name} while sending"));
        return false;
    }

    private static LinkFailureCause Classify(TlsFailure? failure) => failure?.Kind switch
    {
        TlsFailureKind.Verify => LinkFailureCause.Certificate,
        TlsFailureKind.Identity => LinkFailureCause.Identity,
        TlsFailureKind.Closed => LinkFailureCause.PeerClosed,
        TlsFailureKind.PeerAlert => LinkFailureCause.Certificate,
        _ => LinkFailureCause.Protocol,
    };

    private static string DescribeReset(SocketError error) => error switch
    {
        SocketError.ConnectionReset => "reset",
        SocketError.ConnectionAborted => "aborted",
        SocketError.Shutdown => "shut down",
        _ => $"failed ({error})",
    };
}
