using Microsoft.Win32.SafeHandles;

namespace Switchboard.Tls.Native;

/// <summary>Owns one reference to an <c>X509*</c> (as returned by the <c>get1</c> functions).</summary>
internal sealed class X509Handle : SafeHandleZeroOrMinusOneIsInvalid
{
    public X509Handle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        LibCrypto.X509_free(handle);
        return true;
    }
}
