using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using Akka.Event;
using Akka.Remote.Transport.DotNetty;
using Switchboard.Configuration;
using Switchboard.Tls;

namespace Switchboard.Cluster;

/// <summary>
/// Mutual TLS between the masters, on the PKI they already have: each node presents the master's own
/// certificate and key (<c>switchboard.tls</c>) and accepts a peer only if its chain ends at the CA bundle
/// Switchboard trusts, not the operating system's roots. Replicated sessions need it (they are secrets).
/// </summary>
public static class RemotingTls
{
    /// <summary>
    /// The setup to create the <see cref="ActorSystem"/> with (<c>ActorSystemSetup.Create(BootstrapSetup..., RemotingTls.Setup(tls))</c>),
    /// with <c>akka.remote.dot-netty.tcp.enable-ssl = on</c> in its config.
    /// </summary>
    public static DotNettySslSetup Setup(TlsSettings tls)
    {
        ArgumentNullException.ThrowIfNull(tls);
        var (certificate, validator) = Material(tls.Ca, tls.Certificate, tls.PrivateKey);
        return new DotNettySslSetup(certificate, suppressValidation: false, requireMutualAuthentication: true, validateCertificateHostname: false, customValidator: validator);
    }

    /// <summary>The master's certificate with its key, and a validator that accepts only peers whose chain ends at the CA bundle.</summary>
    internal static (X509Certificate2 Certificate, CertificateValidationCallback Validator) Material(string ca, string certificate, string privateKey)
    {
        var own = X509Certificate2.CreateFromPemFile(certificate, privateKey);
        var trusted = CaBundle.Load(ca);
        return (own, (peer, _, remote, errors, log) => Verify(peer, trusted, remote, errors, log));
    }

    /// <summary>Refuses a system whose remoting is not TLS with both ends authenticated and verified.</summary>
    /// <exception cref="InvalidOperationException">Naming what is missing.</exception>
    public static void RequireMutualTls(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        const string tcp = "akka.remote.dot-netty.tcp";
        var config = system.Settings.Config;
        var setup = system.Settings.Setup.Get<DotNettySslSetup>();
        var mutual = setup.HasValue ? setup.Value.RequireMutualAuthentication : config.GetBoolean($"{tcp}.ssl.require-mutual-authentication", true);
        var suppressed = setup.HasValue ? setup.Value.SuppressValidation : config.GetBoolean($"{tcp}.ssl.suppress-validation", false);
        var missing = new List<string>();
        if (!config.GetBoolean($"{tcp}.enable-ssl", false))
        {
            missing.Add($"{tcp}.enable-ssl is off");
        }

        if (!mutual)
        {
            missing.Add("remoting TLS does not require mutual authentication");
        }

        if (suppressed)
        {
            missing.Add("remoting TLS suppresses certificate validation");
        }

        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"switchboard.cluster.replicate-sessions: replicated sessions carry resumption secrets and may only travel over Akka.Remote with mutual TLS, but {string.Join(" and ", missing)}");
        }
    }

    private static bool Verify(X509Certificate2? peer, CaBundle trusted, string remote, SslPolicyErrors errors, ILoggingAdapter log)
    {
        if (peer is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            log.Warning("remoting TLS: {0} presented no certificate", remote);
            return false;
        }

        if (trusted.Verifies(peer, out var problem))
        {
            return true;
        }

        log.Warning("remoting TLS: refused {0}: {1}", remote, problem);
        return false;
    }
}
