using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace AsyncGuard.CodeFixes.Common;

/// <summary>
/// Names of known types written into a fix: fully qualified and annotated for the simplifier,
/// so that they read <c>Task</c> where the file imports the namespace. A name used as the
/// receiver of a member access (<c>Task.Delay</c>) is built as the member-access chain the
/// parser gives for that text, not as a qualified type name.
/// </summary>
internal static class TypeNames
{
    /// <summary>The name of <paramref name="type"/> in a type position (a return type, a catch declaration).</summary>
    public static TypeSyntax Type(Document document, ITypeSymbol type) =>
        ((TypeSyntax)SyntaxGenerator.GetGenerator(document).TypeExpression(type, addImport: true))
            .WithAdditionalAnnotations(Simplifier.Annotation);

    /// <summary>The name of <paramref name="type"/> in an expression position: <c>Task</c> in <c>Task.Delay(..)</c>, or a constant pattern.</summary>
    public static ExpressionSyntax Expression(Document document, ITypeSymbol type) => AsExpression(Type(document, type));

    /// <summary><c>Task</c>, or null when the compilation has no such type.</summary>
    public static ExpressionSyntax? Task(Document document, SemanticModel model) =>
        KnownSymbols.From(model.Compilation)?.Task is { } task ? Expression(document, task) : null;

    private static ExpressionSyntax AsExpression(TypeSyntax type)
    {
        if (type is not QualifiedNameSyntax qualified) return type;
        ExpressionSyntax access = MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, AsExpression(qualified.Left), qualified.Right)
            .WithTriviaFrom(qualified);
        return qualified.CopyAnnotationsTo(access)!;
    }
}
