using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace AsyncGuard.CodeFixes.Common;

/// <summary>What the fixes that turn a call into an awaited one (a twin, or <c>Task.Run</c>) ask of the call's syntax.</summary>
internal static class CallSyntax
{
    /// <summary>The name with another identifier, its trivia kept.</summary>
    public static SimpleNameSyntax Rename(SimpleNameSyntax name, string newName) =>
        name.WithIdentifier(Identifier(newName).WithTriviaFrom(name.Identifier));

    /// <summary>An await written where the call was a receiver or postfix operand needs parentheses.</summary>
    public static bool NeedsParentheses(ExpressionSyntax node) => node.Parent switch
    {
        MemberAccessExpressionSyntax member => member.Expression == node,
        ConditionalAccessExpressionSyntax conditional => conditional.Expression == node,
        ElementAccessExpressionSyntax element => element.Expression == node,
        InvocationExpressionSyntax call => call.Expression == node,
        PostfixUnaryExpressionSyntax => true,
        _ => false,
    };

    /// <summary><c>a?.b.M()</c>: the call is evaluated only when <c>a</c> is not null, and an await cannot go there.</summary>
    public static bool InConditionalAccess(SyntaxNode node, SyntaxNode function)
    {
        for (var current = node; current.Parent is { } parent && parent != function; current = parent)
        {
            if (parent is ConditionalAccessExpressionSyntax conditional && conditional.WhenNotNull == current) return true;
            if (parent is StatementSyntax) return false;
        }

        return false;
    }
}
