namespace Switchboard.Testing.Pki;

/// <summary>A certificate and its private key, both PEM, as written to disk by <c>switchboard certs</c>.</summary>
public sealed record IssuedCertificate(string Name, string CertificatePem, string PrivateKeyPem)
{
    public void WriteTo(string certificatePath, string keyPath)
    {
        File.WriteAllText(certificatePath, CertificatePem);
        File.WriteAllText(keyPath, PrivateKeyPem);
        if (!OperatingSystem.IsWindows())
        {
            // A private key readable by others is a key someone else may hold.
            File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
