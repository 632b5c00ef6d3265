using System.Buffers.Binary;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Switchboard.Configuration;
using Switchboard.Testing.Pki;

namespace Switchboard.Bench.Baseline;

/// <summary>
/// The manager a .NET developer writes without Switchboard, and the storm's peer: one <see cref="SslStream"/>
/// over a <see cref="TcpClient"/> per endpoint, async/await, mutual TLS (our certificate, the CA as
/// custom root trust, the endpoint name as target host), a reconnect loop with a fixed delay, every
/// endpoint started at once, a link counted up once its agent echoes a first frame. No admission, no
/// backoff, no session control: whatever resumption SslStream does on its own, it does in this process only.
/// </summary>
internal sealed class NaiveManager : IAsyncDisposable
{
    private const int MaxFrameSize = 16 * 1024 * 1024;
    private static readonly byte[] Heartbeat = new byte[4]; // a zero-length frame
    private static readonly byte[] Hello = [0, 0, 0, 1, 0]; // a one-byte frame, which the agents echo
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly IReadOnlyList<EndpointSettings> _endpoints;
    private readonly NaiveOptions _options;
    private readonly NaiveFailures _failures;
    private readonly X509Certificate2 _certificate;
    private readonly X509Certificate2 _ca;
    private readonly SslStreamCertificateContext _certificateContext;
    private readonly CancellationTokenSource _stop = new();
    private Task[] _loops = [];
    private int _connected;
    private long _handshakes;

    public NaiveManager(IReadOnlyList<EndpointSettings> endpoints, PkiLayout pki, NaiveOptions options, NaiveFailures failures)
    {
        _endpoints = endpoints;
        _options = options;
        _failures = failures;
        _certificate = X509Certificate2.CreateFromPemFile(pki.MasterCertificate, pki.MasterKey);
        _ca = X509Certificate2.CreateFromPem(File.ReadAllText(pki.CaCertificate));
        // What the docs recommend for a client certificate used many times: its chain is built once, not per handshake.
        _certificateContext = SslStreamCertificateContext.Create(_certificate, additionalCertificates: null, offline: true);
    }

    public void Start() =>
        _loops = _endpoints.Select(endpoint => Task.Run(() => KeepConnectedAsync(endpoint, _stop.Token))).ToArray();

    public NaiveStatus Status() => new(_endpoints.Count, Volatile.Read(ref _connected), Interlocked.Read(ref _handshakes));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Task.WhenAll(_loops).WaitAsync(StopTimeout);
        }
        catch (TimeoutException)
        {
            // a loop stuck in a call that ignores cancellation: the process moves on without it
        }

        _stop.Dispose();
        _certificate.Dispose();
        _ca.Dispose();
    }

    private async Task KeepConnectedAsync(EndpointSettings endpoint, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await ConnectAndPumpAsync(endpoint, stop);
            try
            {
                await Task.Delay(_options.RetryDelay, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ConnectAndPumpAsync(EndpointSettings endpoint, CancellationToken stop)
    {
        using var tcp = new TcpClient(AddressFamily.InterNetwork);
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
            deadline.CancelAfter(_options.ConnectTimeout);
            await tcp.ConnectAsync(endpoint.Host, endpoint.Port, deadline.Token);
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            _failures.Failed(NaiveFailures.ConnectTimeout);
            return;
        }
        catch (SocketException e)
        {
            _failures.Failed(e.SocketErrorCode == SocketError.ConnectionRefused ? NaiveFailures.Refused : NaiveFailures.ConnectFailed);
            return;
        }
        catch (OperationCanceledException)
        {
            return;
        }

        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
            deadline.CancelAfter(_options.HandshakeTimeout);
            await tls.AuthenticateAsClientAsync(ClientOptions(endpoint), deadline.Token);
            await AwaitAgentAsync(tls, deadline.Token);
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            _failures.Failed(NaiveFailures.HandshakeTimeout);
            return;
        }
        catch (Exception e) when (e is AuthenticationException or IOException or SocketException or InvalidDataException)
        {
            _failures.Failed(NaiveFailures.HandshakeFailed);
            return;
        }
        catch (OperationCanceledException)
        {
            return;
        }

        Interlocked.Increment(ref _handshakes);
        Interlocked.Increment(ref _connected);
        string? dropped;
        try
        {
            dropped = await PumpAsync(tls, stop);
        }
        finally
        {
            Interlocked.Decrement(ref _connected);
        }

        if (dropped is not null && !stop.IsCancellationRequested)
        {
            _failures.Dropped(dropped);
        }
    }

    private SslClientAuthenticationOptions ClientOptions(EndpointSettings endpoint)
    {
        var chain = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        chain.CustomTrustStore.Add(_ca);
        return new SslClientAuthenticationOptions
        {
            TargetHost = endpoint.Name,
            ClientCertificateContext = _certificateContext,
            CertificateChainPolicy = chain,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            EnabledSslProtocols = _options.Tls12Only ? System.Security.Authentication.SslProtocols.Tls12 : System.Security.Authentication.SslProtocols.None,
        };
    }

    /// <summary>
    /// The link is up once its agent answers, not once our last handshake flight is sent. A TLS 1.3 client
    /// finishes its handshake before the agent has read its certificate, so counting there ended a phase
    /// while the fleet was still verifying the last clients' flights, and counted links the agent might yet
    /// refuse. Switchboard's link is up when the agent's Ack arrives; one echoed frame is the same round trip.
    /// </summary>
    private static async Task AwaitAgentAsync(SslStream tls, CancellationToken deadline)
    {
        await tls.WriteAsync(Hello, deadline);
        var header = new byte[4];
        while (true)
        {
            await tls.ReadExactlyAsync(header, deadline);
            var length = BinaryPrimitives.ReadInt32BigEndian(header);
            if (length == 0)
            {
                continue; // a heartbeat
            }

            if (length != 1)
            {
                throw new InvalidDataException($"expected the agent's echo of a one-byte frame, got a frame of {length} bytes");
            }

            await tls.ReadExactlyAsync(header.AsMemory(0, 1), deadline);
            return;
        }
    }

    /// <summary>Reads frames until the link drops; heartbeats go out meanwhile so the agent does not time us out.</summary>
    /// <returns>Why the link went down.</returns>
    private async Task<string?> PumpAsync(SslStream tls, CancellationToken stop)
    {
        using var linkDown = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var heartbeats = SendHeartbeatsAsync(tls, linkDown.Token);
        try
        {
            var header = new byte[4];
            while (true)
            {
                await tls.ReadExactlyAsync(header, stop);
                var length = BinaryPrimitives.ReadInt32BigEndian(header);
                if (length is < 0 or > MaxFrameSize)
                {
                    return NaiveFailures.Protocol; // not our protocol: drop the link and reconnect
                }

                if (length > 0)
                {
                    await tls.ReadExactlyAsync(new byte[length], stop);
                }
            }
        }
        catch (EndOfStreamException)
        {
            return NaiveFailures.PeerClosed;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            return NaiveFailures.Reset;
        }
        catch (OperationCanceledException)
        {
            return null; // we are stopping
        }
        finally
        {
            await linkDown.CancelAsync();
            await heartbeats;
        }
    }

    private async Task SendHeartbeatsAsync(SslStream tls, CancellationToken linkDown)
    {
        try
        {
            using var timer = new PeriodicTimer(_options.HeartbeatInterval);
            while (await timer.WaitForNextTickAsync(linkDown))
            {
                await tls.WriteAsync(Heartbeat, linkDown);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or NotSupportedException)
        {
        }
    }
}
