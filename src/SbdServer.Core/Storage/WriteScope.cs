using SbdServer.Core.Errors;

namespace SbdServer.Core.Storage;

/// <summary>How a command is kept from racing other writers (docs/adr/0003-cluster-writes.md).</summary>
public enum WriteScope
{
    /// <summary>
    /// The command reads the rows it changes and commits them under their row versions: a row another writer changed
    /// in between fails the commit with <see cref="WriteConflictException"/>. Its commit still waits for any unit that
    /// holds the cluster write lock, so it never lands inside another command's read-decide-commit.
    /// </summary>
    Rows,

    /// <summary>
    /// The command's decision depends on more than the rows it changes (the impact check, "already pending", the
    /// history of a replaced certificate, a restore replacing everything): it holds the cluster write lock from before
    /// its first read to after its commit, so no other writer on any node commits in between.
    /// </summary>
    Alone,
}
