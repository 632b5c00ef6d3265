namespace Switchboard.Tls.Native;

/// <summary>
/// Our ex_data slots on SSL and SSL_CTX objects: callbacks find the C# connection or context through them.
/// Allocated once per process (OpenSSL never frees indices).
/// </summary>
internal static class ExDataIndex
{
    public static readonly int Connection = Allocate(LibCrypto.ExIndexSsl);
    public static readonly int Context = Allocate(LibCrypto.ExIndexSslContext);

    private static int Allocate(int classIndex)
    {
        var index = LibCrypto.CRYPTO_get_ex_new_index(classIndex, 0, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero);
        if (index < 0)
        {
            throw new InvalidOperationException("OpenSSL refused to allocate an ex_data index");
        }
        return index;
    }
}
