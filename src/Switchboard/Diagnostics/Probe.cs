using System.Net;
using Akka.Actor;
using Switchboard.Configuration;
using Switchboard.IO;
using Switchboard.Tls;

namespace Switchboard.Diagnostics;

/// <summary>
/// Checks one peer the way an endpoint would reach it: K sequential connections through the IO actors, each
/// a handshake, a short wait for TLS 1.3 tickets, an optional echo round trip, then close_notify. The newest
/// session is offered to the next connection, so connections 2..K resume if the peer lets them; "resumed"
/// is what OpenSSL reports, never an assumption.
/// </summary>
public static class Probe
{
    private static long _probes;

    /// <summary>Runs the connections one after another; <paramref name="onResult"/> hears each as it ends.</summary>
    /// <exception cref="TlsConfigurationException">The TLS material in the request cannot be loaded.</exception>
    public static Task<ProbeOutcome> RunAsync(IoPool io, ProbeRequest request, Action<ProbeResult> onResult)
    {
        ArgumentNullException.ThrowIfNull(io);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(onResult);
        // A probe sends plain frames: it does not number them, so it must not offer acknowledged framing.
        var context = TlsContext.CreateClient(TlsContextOptions.From(request.Tls, acknowledgements: false));
        var done = new TaskCompletionSource<ProbeOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        io.System.ActorOf(Props.Create(() => new ProbeActor(request, context, io.Router, onResult, done)), $"probe-{Interlocked.Increment(ref _probes)}");
        return done.Task;
    }
}

/// <summary>What to probe, and as whom.</summary>
/// <param name="Name">The peer's expected identity (sent as SNI, required in its certificate).</param>
/// <param name="Tls">Our identity and the CA we trust, and the protocol versions to offer.</param>
/// <param name="Session">A session to resume on the first connection (DER, as <c>openssl sess_id -outform DER</c>).</param>
public sealed record ProbeRequest(string Name, IPEndPoint Address, TlsSettings Tls, int Count = 1, bool Echo = false, byte[]? Session = null)
{
    /// <summary>How long to wait for a TLS 1.3 ticket after the handshake; they arrive after it.</summary>
    public TimeSpan TicketWait { get; init; } = TimeSpan.FromMilliseconds(300);

    public TimeSpan EchoTimeout { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>One connection of a probe.</summary>
/// <param name="N">1 for the first connection.</param>
/// <param name="Protocol">"TLSv1.3" or "TLSv1.2"; null when the handshake failed.</param>
public sealed record ProbeResult(int N, bool Ok, string? Protocol, string? Cipher, bool Resumed, double? HandshakeMs, string? Error);

/// <summary>A finished probe.</summary>
/// <param name="Session">The newest resumable session seen (DER), or null.</param>
public sealed record ProbeOutcome(int Failures, byte[]? Session);
