using Switchboard.Testing.Pki;

namespace Switchboard.Testing.Fleet;

/// <summary>
/// The misissued certificates certificate faults present, minted at fleet start into a private temporary
/// directory that goes away with the fleet: expired ones from the fleet's own CA (which needs
/// <c>ca.key</c>), untrusted ones from a throw-away foreign CA, and for wrong-identity another agent's
/// perfectly valid certificate.
/// </summary>
public sealed class FaultCertificates : IDisposable
{
    private readonly PkiLayout _pki;
    private readonly int _count;
    private readonly Lazy<CertificateAuthority> _ownCa;
    private readonly Lazy<CertificateAuthority> _foreignCa;
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;

    public FaultCertificates(PkiLayout pki, int count)
    {
        _pki = pki;
        _count = count;
        Directory = Path.Combine(Path.GetTempPath(), $"switchboard-faults-{Environment.ProcessId}-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(Directory);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        _ownCa = new Lazy<CertificateAuthority>(LoadOwnCa);
        _foreignCa = new Lazy<CertificateAuthority>(() => CertificateAuthority.Create("Foreign CA (switchboard agents --fault untrusted)"));
    }

    public string Directory { get; }

    /// <summary>The certificate and key agent <paramref name="index"/> presents; safe to call from several threads.</summary>
    public (string Certificate, string Key) For(FaultMode mode, int index)
    {
        var name = PkiLayout.AgentName(index);
        switch (mode)
        {
            case FaultMode.WrongIdentity when _count > 1:
                var other = PkiLayout.AgentName((index + 1) % _count);
                return (_pki.AgentCertificate(other), _pki.AgentKey(other));
            case FaultMode.WrongIdentity:
                return Write($"{name}-wrong-identity", _ownCa.Value.Issue(PkiLayout.AgentName(_count)));
            case FaultMode.Expired:
                return Write($"{name}-expired", _ownCa.Value.Issue(name, notBefore: _now.AddDays(-30), notAfter: _now.AddDays(-1)));
            case FaultMode.Untrusted:
                return Write($"{name}-untrusted", _foreignCa.Value.Issue(name));
            default:
                return (_pki.AgentCertificate(name), _pki.AgentKey(name));
        }
    }

    public void Dispose()
    {
        if (_ownCa.IsValueCreated)
        {
            _ownCa.Value.Dispose();
        }

        if (_foreignCa.IsValueCreated)
        {
            _foreignCa.Value.Dispose();
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    private CertificateAuthority LoadOwnCa()
    {
        if (!File.Exists(_pki.CaKey))
        {
            throw new InvalidOperationException($"expired certificates are minted by the fleet's CA, but {_pki.CaKey} is missing");
        }

        return CertificateAuthority.Load(_pki.CaCertificate, _pki.CaKey);
    }

    private (string, string) Write(string stem, IssuedCertificate issued)
    {
        var certificate = Path.Combine(Directory, stem + ".crt");
        var key = Path.Combine(Directory, stem + ".key");
        issued.WriteTo(certificate, key);
        return (certificate, key);
    }
}
