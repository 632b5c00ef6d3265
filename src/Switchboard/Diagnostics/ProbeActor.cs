using System.Net;
using System.Text;
using Akka.Actor;
using Akka.Event;
using Switchboard.IO;
using Switchboard.Resumption;
using Switchboard.Tls;

namespace Switchboard.Diagnostics;

/// <summary>The connections of one <see cref="Probe"/>, one at a time.</summary>
internal sealed class ProbeActor : UntypedActor, IWithTimers
{
    private readonly ProbeRequest _options;
    private readonly TlsContext _context;
    private readonly IActorRef _io;
    private readonly Action<ProbeResult> _report;
    private readonly TaskCompletionSource<ProbeOutcome> _done;
    private byte[]? _session;
    private int _n;
    private long _linkId;
    private IActorRef? _linkIo;
    private Io.LinkUp? _up;
    private bool _ticketSeen;
    private int _failures;
    private byte[]? _echo;

    public ProbeActor(ProbeRequest options, TlsContext context, IActorRef io, Action<ProbeResult> report, TaskCompletionSource<ProbeOutcome> done)
    {
        _options = options;
        _context = context;
        _io = io;
        _session = options.Session;
        _report = report;
        _done = done;
        Context.Become(Idle);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private sealed record Next;

    private sealed record TicketWaitOver(long LinkId);

    private sealed record EchoTimedOut(long LinkId);

    protected override void PreStart() => Self.Tell(new Next());

    // The system may stop under a running probe: whoever awaits it must not wait forever.
    protected override void PostStop() => _done.TrySetException(new InvalidOperationException($"the probe of {_options.Name} stopped after {_n} of {_options.Count} connections"));

    protected override void OnReceive(object message) => Unhandled(message);

    private bool Idle(object message)
    {
        if (message is Next)
        {
            Connect();
            return true;
        }

        return Sessions(message);
    }

    private void Connect()
    {
        if (_n == _options.Count)
        {
            _done.TrySetResult(new ProbeOutcome(_failures, _session));
            Context.Stop(Self);
            return;
        }

        _n++;
        _up = null;
        _ticketSeen = false;
        _linkId = LinkIds.Next();
        var resume = _session is null ? null : TlsSession.Import(_session);
        _io.Tell(new Io.OpenLink(_linkId, _options.Name, _options.Address, _context, resume, "probe", Self, Self));
        Context.Become(Handshaking);
    }

    private bool Handshaking(object message)
    {
        switch (message)
        {
            case Io.TcpConnected m: _linkIo = m.Io; return true;
            case Io.LinkFailed m when m.LinkId == _linkId:
                Finish(new ProbeResult(_n, false, null, null, false, null, m.Failure.Reason));
                return true;
            case Io.LinkUp m when m.LinkId == _linkId:
                _up = m;
                _linkIo = m.Io;
                // TLS 1.3 tickets come after the handshake; give them a moment so the next connection can resume.
                var wait = m.Handshake.Protocol == "TLSv1.3" && !_ticketSeen ? _options.TicketWait : TimeSpan.Zero;
                Timers.StartSingleTimer("tickets", new TicketWaitOver(_linkId), wait);
                Context.Become(WaitingForTickets);
                return true;
            default:
                return Sessions(message);
        }
    }

    private bool WaitingForTickets(object message)
    {
        switch (message)
        {
            case TicketWaitOver m when m.LinkId == _linkId:
                AfterTickets();
                return true;
            case Io.LinkDown m when m.LinkId == _linkId:
                // A peer that ends the link cleanly after the handshake leaves it successful, unless we still
                // owed it an echo round trip.
                Finish(Result(!_options.Echo && m.Failure.Cause == LinkFailureCause.PeerClosed && m.Failure.Reason.Contains("close_notify"), _options.Echo ? m.Failure.Reason : null));
                return true;
            case ClientSessionsReceived m:
                Keep(m);
                if (_up!.Handshake.Protocol == "TLSv1.3")
                {
                    Timers.Cancel("tickets");
                    AfterTickets();
                }

                return true;
            default:
                return Sessions(message);
        }
    }

    private void AfterTickets()
    {
        if (!_options.Echo)
        {
            Close(Result(true, null));
            return;
        }

        _echo = Encoding.UTF8.GetBytes($"probe {_n}");
        _linkIo!.Tell(new Io.WriteFrame(_linkId, _echo, Self));
        Timers.StartSingleTimer("echo", new EchoTimedOut(_linkId), _options.EchoTimeout);
        Context.Become(Echoing);
    }

    private bool Echoing(object message)
    {
        switch (message)
        {
            case Io.FrameReceived m when m.LinkId == _linkId:
                Timers.Cancel("echo");
                var ok = m.Payload.AsSpan().SequenceEqual(_echo);
                Close(Result(ok, ok ? null : "echo returned different bytes"));
                return true;
            case EchoTimedOut m when m.LinkId == _linkId:
                Close(Result(false, $"no echo within {_options.EchoTimeout.TotalSeconds:0.#} s"));
                return true;
            case Io.LinkDown m when m.LinkId == _linkId:
                Finish(Result(false, m.Failure.Reason));
                return true;
            case Io.FrameNotWritten:
                Close(Result(false, "link closed before the echo frame was written"));
                return true;
            default:
                return Sessions(message);
        }
    }

    private ProbeResult Result(bool ok, string? error) =>
        new(_n, ok, _up!.Handshake.Protocol, _up.Handshake.Cipher, _up.Handshake.Resumed, _up.HandshakeTime.TotalMilliseconds, error);

    private void Close(ProbeResult result)
    {
        _linkIo?.Tell(new Io.CloseLink(_linkId, "probe done"));
        Finish(result);
    }

    private void Finish(ProbeResult result)
    {
        _failures += result.Ok ? 0 : 1;
        try
        {
            _report(result);
        }
        catch (Exception e)
        {
            // The caller's callback must not kill the probe: the outcome would never come.
            Context.GetLogger().Error(e, "probe result callback failed");
        }

        Context.Become(Idle);
        Self.Tell(new Next());
    }

    /// <summary>Keeps the newest session for the next connection; everything else of an earlier link is dropped.</summary>
    private bool Sessions(object message)
    {
        if (message is ClientSessionsReceived m)
        {
            Keep(m);
        }

        return true;
    }

    private void Keep(ClientSessionsReceived received)
    {
        foreach (var session in received.Sessions)
        {
            using (session)
            {
                if (session.IsResumable)
                {
                    _session = session.Export();
                    _ticketSeen = true;
                }
            }
        }
    }
}
