using Microsoft.CodeAnalysis;

namespace AsyncGuard;

/// <summary>The root of an operation tree: the operation block (method body, initializer) an operation belongs to.</summary>
internal static class OperationRoot
{
    public static IOperation Of(IOperation operation)
    {
        var current = operation;
        while (current.Parent is { } parent) current = parent;
        return current;
    }
}
