using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Switchboard.Configuration;
using Switchboard.Diagnostics;
using Switchboard.IO;
using Switchboard.Tls;

namespace Switchboard.Supervision;

/// <summary>
/// One attempt: admission slot → address → (resumption cache →) IO actor: TCP and handshake, under a
/// watchdog. The endpoint never holds a TLS session: with resumption on, the open request goes to the
/// cache actor, which attaches the endpoint's newest session and passes the request on to the IO pool.
/// </summary>
internal sealed partial class EndpointActor
{
    private void RequestAdmission()
    {
        _nextRetryAt = null;
        if (_context.Admission.TryEnter(Self, out _ticket))
        {
            StartAttempt();
            return;
        }

        Context.Become(Queued);
        Transition(EndpointState.Queued);
    }

    private bool Queued(object message)
    {
        if (message is AdmissionGate.SlotGranted granted && granted.Ticket == _ticket)
        {
            StartAttempt();
            return true;
        }

        return Common(message);
    }

    private void StartAttempt()
    {
        _attempts++;
        _linkId = LinkIds.Next();
        _io = null;
        var connection = _context.Settings.Connection;
        // The IO actor enforces connect and handshake deadlines itself; the watchdog only guarantees that
        // an answer lost anywhere (DNS, cache, a restarted IO actor) still ends the attempt.
        Timers.StartSingleTimer(WatchdogTimer, new AttemptWatchdog(_linkId), connection.ConnectTimeout * 2 + connection.HandshakeTimeout + TimeSpan.FromSeconds(5));
        Context.Become(Connecting);
        Transition(EndpointState.Connecting);

        if (IPAddress.TryParse(_endpoint.Host, out var literal))
        {
            Open(literal);
            return;
        }

        // Asynchronous, and re-done on every attempt: agents move.
        var linkId = _linkId;
        Dns.GetHostAddressesAsync(_endpoint.Host).PipeTo(
            Self,
            success: addresses => new Resolved(linkId, addresses),
            failure: e => new ResolveFailed(linkId, e is SocketException se ? se.SocketErrorCode.ToString() : e.Message));
    }

    private bool Connecting(object message)
    {
        switch (message)
        {
            case Resolved m when m.LinkId == _linkId: OnResolved(m); return true;
            case ResolveFailed m when m.LinkId == _linkId:
                AttemptFailed(new LinkFailure(LinkFailureCause.Dns, $"cannot resolve '{_endpoint.Host}': {m.Reason}"));
                return true;
            case Io.TcpConnected m when m.LinkId == _linkId:
                _io = m.Io;
                Transition(EndpointState.Handshaking);
                return true;
            case Io.LinkUp m when m.LinkId == _linkId: OnLinkUp(m); return true;
            case Io.LinkFailed m when m.LinkId == _linkId: AttemptFailed(m.Failure, m.TcpConnected); return true;
            case AttemptWatchdog m when m.LinkId == _linkId:
                _io?.Tell(new Io.AbortLink(_linkId, new LinkFailure(LinkFailureCause.Internal, "watchdog")));
                AttemptFailed(new LinkFailure(LinkFailureCause.Internal, "attempt got no answer in time (watchdog)"));
                return true;
            default: return Common(message);
        }
    }

    private void OnResolved(Resolved resolved)
    {
        var address = resolved.Addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? resolved.Addresses.FirstOrDefault();
        if (address is null)
        {
            AttemptFailed(new LinkFailure(LinkFailureCause.Dns, $"'{_endpoint.Host}' resolved to no address"));
            return;
        }

        Open(address);
    }

    private void Open(IPAddress address)
    {
        _address = new IPEndPoint(address, _endpoint.Port);
        var cache = _context.Settings.Resumption.Enabled ? _context.Cache : null;
        _resumptionKey = cache is null ? null : KeyFor(_context.Tls.Current);
        var open = new Io.OpenLink(_linkId, _endpoint.Name, _address, _context.Tls.Current, Resume: null,
            ResumptionKey: _resumptionKey, Owner: Self, SessionSink: cache, Credit: _context.Frames,
            Delivery: new Io.DeliveryPosition(_window.Epoch, _window.FirstUnacknowledged));
        (cache ?? _context.IoPool).Tell(open);
    }

    /// <summary>
    /// The key for this endpoint under <paramref name="context"/>, built again only when the TLS context changed
    /// (a reload): the string is some 200 characters, and every link holds the one it was opened with.
    /// </summary>
    private string KeyFor(TlsContext context)
    {
        if (!ReferenceEquals(context, _keyContext) || _resumptionKey is null)
        {
            _keyContext = context;
            return ResumptionKey(_endpoint, context);
        }

        return _resumptionKey;
    }

    /// <summary>
    /// Endpoint name, address, our certificate and the CA bundle we trust: a renewed certificate, a moved endpoint
    /// or a changed CA bundle starts afresh (the cache then drops what the old key held).
    /// </summary>
    internal static string ResumptionKey(EndpointSettings endpoint, TlsContext context) =>
        $"{endpoint.Name}|{endpoint.Host}:{endpoint.Port}|{context.CertificateFingerprint}|{context.TrustFingerprint}";

    /// <param name="handshakeStarted">The peer took part (TCP connected), so the outcome says something about load.</param>
    private void AttemptFailed(LinkFailure failure, bool handshakeStarted = false)
    {
        _context.Admission.Release(_ticket, failure.Cause == LinkFailureCause.HandshakeTimeout ? AdmissionGate.Outcome.TimedOut
            : handshakeStarted ? AdmissionGate.Outcome.Completed : AdmissionGate.Outcome.NoSample);
        Timers.Cancel(WatchdogTimer);
        _failedHandshakes += failure.Cause is LinkFailureCause.Dns or LinkFailureCause.Refused or LinkFailureCause.Unreachable or LinkFailureCause.ConnectTimeout ? 0 : 1;
        SwitchboardMetrics.ConnectFailures.Add(1, new KeyValuePair<string, object?>("cause", failure.Cause.Tag()));
        _lastError = failure.ToString();
        _failures++;
        EnterBackoff();
    }

    private void EnterBackoff()
    {
        StopSending();
        _io = null;
        _connectedSince = null;
        var delay = _backoff.Next(_failures);
        _nextRetryAt = DateTimeOffset.UtcNow + delay;
        Timers.StartSingleTimer(RetryTimer, new Retry(), delay);
        Context.Become(InBackoff);
        Transition(EndpointState.Backoff);
    }

    private bool InBackoff(object message)
    {
        if (message is Retry)
        {
            RequestAdmission();
            return true;
        }

        return Common(message);
    }
}
