namespace Switchboard.Testing.Pki;

/// <summary>A certificate and its private key, both PEM, as written to disk by <c>switchboard certs</c>.</summary>
public sealed record IssuedCertificate(string Name, string CertificatePem, string PrivateKeyPem)
{
    public void WriteTo(string certificatePath, string keyPath)
    {
        File.WriteAllText(certificatePath, CertificatePem);
        WritePrivate(keyPath, PrivateKeyPem);
    }

    /// <summary>
    /// Created 0600 from the start (no window in which the umask's mode lets others read it), and never through a
    /// link: whatever sat at the path is removed (a symbolic link itself, not its target), and the new file is
    /// created exclusively, which fails rather than follow a link planted in between.
    /// </summary>
    private static void WritePrivate(string path, string pem)
    {
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(pem);
    }
}
