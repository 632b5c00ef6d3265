namespace Switchboard.Tls;

/// <summary>Why a connection failed, in OpenSSL's words (e.g. "certificate verify failed: unable to get local issuer certificate").</summary>
internal sealed record TlsFailure(TlsFailureKind Kind, string Reason)
{
    public override string ToString() => $"{Kind}: {Reason}";
}
