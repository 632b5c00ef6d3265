using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Switchboard.Bench.Handshake;

/// <summary>The baseline: a mutual-TLS SslStream client and server over an in-memory duplex stream.</summary>
internal sealed class SslStreamPair : IDisposable
{
    private readonly X509Certificate2 _ca;
    private readonly X509Certificate2 _clientCertificate;
    private readonly X509Certificate2 _serverCertificate;
    private readonly SslStreamCertificateContext _clientContext;
    private readonly SslStreamCertificateContext _serverContext;
    private readonly SslProtocols _protocol;
    private readonly string _endpoint;

    public SslStreamPair(string caPath, (string Certificate, string Key) client, (string Certificate, string Key) server, SslProtocols protocol, string endpoint)
    {
        _ca = X509Certificate2.CreateFromPem(File.ReadAllText(caPath));
        _clientCertificate = X509Certificate2.CreateFromPemFile(client.Certificate, client.Key);
        _serverCertificate = X509Certificate2.CreateFromPemFile(server.Certificate, server.Key);
        _clientContext = SslStreamCertificateContext.Create(_clientCertificate, additionalCertificates: null, offline: true);
        _serverContext = SslStreamCertificateContext.Create(_serverCertificate, additionalCertificates: null, offline: true);
        this._protocol = protocol;
        this._endpoint = endpoint;
    }

    /// <summary>One full mutual handshake (resumption off on both sides), then close_notify from the client.</summary>
    public async Task RunAsync()
    {
        var (a, b) = MemoryDuplexStream.CreatePair();
        await using var client = new SslStream(a, leaveInnerStreamOpen: false);
        await using var server = new SslStream(b, leaveInnerStreamOpen: false);
        var clientOptions = new SslClientAuthenticationOptions
        {
            TargetHost = _endpoint,
            ClientCertificateContext = _clientContext,
            EnabledSslProtocols = _protocol,
            CertificateChainPolicy = Policy(),
            AllowTlsResume = false,
        };
        var serverOptions = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = _serverContext,
            ClientCertificateRequired = true,
            EnabledSslProtocols = _protocol,
            CertificateChainPolicy = Policy(),
            AllowTlsResume = false,
        };
        await Task.WhenAll(client.AuthenticateAsClientAsync(clientOptions), server.AuthenticateAsServerAsync(serverOptions));
        if (!client.IsMutuallyAuthenticated || !server.IsMutuallyAuthenticated)
        {
            throw new InvalidOperationException("SslStream pair did not authenticate mutually");
        }
        await client.ShutdownAsync();
    }

    public void Dispose()
    {
        _ca.Dispose();
        _clientCertificate.Dispose();
        _serverCertificate.Dispose();
    }

    private X509ChainPolicy Policy()
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.Add(_ca);
        return policy;
    }
}
