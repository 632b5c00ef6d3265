namespace Switchboard.Resumption;

/// <summary>What <c>statx</c> says about a path or an open file: enough to judge whether a session file is safe to trust.</summary>
internal readonly record struct FileFacts(uint Mode, uint OwnerUid, ulong Device, ulong Inode, long Size)
{
    private const uint TypeMask = 0xF000;          // S_IFMT
    private const uint RegularType = 0x8000;       // S_IFREG
    private const uint SymlinkType = 0xA000;       // S_IFLNK
    private const uint GroupOrOtherBits = 0x3F;    // 0077

    public bool IsRegularFile => (Mode & TypeMask) == RegularType;

    public bool IsSymlink => (Mode & TypeMask) == SymlinkType;

    public bool IsGroupOrOtherAccessible => (Mode & GroupOrOtherBits) != 0;

    public uint Permissions => Mode & 0xFFF;

    public bool IsSameFileAs(FileFacts other) => Device == other.Device && Inode == other.Inode;
}
