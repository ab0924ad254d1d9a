using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AsyncGuard.Rules;

/// <summary>
/// Flags <c>new TaskCompletionSource(...)</c> and <c>new TaskCompletionSource&lt;T&gt;(...)</c>
/// created without <c>TaskCreationOptions.RunContinuationsAsynchronously</c> (AGD0030): the
/// awaiting code would run inline on whichever thread completes the source.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TaskCompletionSourceAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: which constructor shape the creation uses (one of the <c>Shape*</c> values).</summary>
    public const string ShapeProperty = "Shape";

    /// <summary>No argument: the fix passes the option.</summary>
    public const string ShapeNoArguments = "NoArguments";

    /// <summary>Only a state object: the fix uses the (state, options) constructor.</summary>
    public const string ShapeState = "State";

    /// <summary>Options given without the flag: the fix ors the flag in.</summary>
    public const string ShapeOptions = "Options";

    // TaskCreationOptions.RunContinuationsAsynchronously
    private const long RunContinuationsAsynchronously = 64;

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.AGD0030_TaskCompletionSource);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (KnownSymbols.From(start.Compilation) is not { TaskCreationOptions: { } creationOptions } symbols) return;
            if (symbols.TaskCompletionSource is null && symbols.TaskCompletionSourceOfT is null) return;
            var testCode = TestCode.For(start.Compilation, start.Options);
            if (testCode.SilencesEverywhere(SupportedDiagnostics)) return;
            start.RegisterOperationAction(c => { if (!testCode.Silences(Descriptors.AGD0030_TaskCompletionSource, c.Operation.Syntax.SyntaxTree)) AnalyzeCreation(c, symbols, creationOptions); }, OperationKind.ObjectCreation);
        });
    }

    private static void AnalyzeCreation(OperationAnalysisContext context, KnownSymbols symbols, INamedTypeSymbol creationOptions)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        if (creation.Type is not INamedTypeSymbol type || creation.Constructor is null) return;
        if (!SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, symbols.TaskCompletionSourceOfT)
            && !SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, symbols.TaskCompletionSource)) return;
        if (type.TypeArguments.Any(t => t.TypeKind == TypeKind.Error)) return;

        string shape;
        IArgumentOperation? options = null;
        IArgumentOperation? state = null;
        foreach (var argument in creation.Arguments)
        {
            if (argument.Parameter is null) return;
            if (SymbolEqualityComparer.Default.Equals(argument.Parameter.Type, creationOptions)) options = argument;
            else state = argument;
        }

        // A TaskContinuationOptions value passed as the state is the SDK's CA2247: its fix, not ours.
        if (state is not null && IsContinuationOptions(state.Value, symbols)) return;

        if (options is not null)
        {
            // Only a constant tells us which flags are set; a variable is the caller's choice.
            if (options.Value.ConstantValue is not { HasValue: true, Value: { } value }) return;
            var flags = System.Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
            if ((flags & RunContinuationsAsynchronously) != 0) return;

            // An explicit TaskCreationOptions.None states that inline continuations are wanted (issue 13).
            if (flags == 0) return;
            shape = ShapeOptions;
        }
        else
        {
            shape = state is null ? ShapeNoArguments : ShapeState;
        }

        if (StatesTheChoice(creation.Syntax)) return;

        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.AGD0030_TaskCompletionSource,
            creation.Syntax.GetLocation(),
            ImmutableDictionary<string, string?>.Empty.Add(ShapeProperty, shape),
            type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)));
    }

    /// <summary>
    /// The authors wrote down that they chose inline continuations: a comment just above the
    /// statement or member that creates the source speaks of continuations or of running
    /// synchronously ("Not created with RunContinuationsAsynchronously to avoid a dispatch"), or an
    /// inactive <c>#if</c> branch of the same statement passes <c>TaskCreationOptions</c> explicitly.
    /// </summary>
    private static bool StatesTheChoice(SyntaxNode creation)
    {
        var holder = creation.FirstAncestorOrSelf<SyntaxNode>(n => n is StatementSyntax or MemberDeclarationSyntax);
        if (holder is null) return false;
        foreach (var trivia in holder.GetLeadingTrivia())
        {
            if (trivia.IsKind(SyntaxKind.SingleLineCommentTrivia) || trivia.IsKind(SyntaxKind.MultiLineCommentTrivia)
                || trivia.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia) || trivia.IsKind(SyntaxKind.MultiLineDocumentationCommentTrivia))
            {
                var text = trivia.ToString();
                if (text.IndexOf("continuation", System.StringComparison.OrdinalIgnoreCase) >= 0
                    || text.IndexOf("synchronous", System.StringComparison.OrdinalIgnoreCase) >= 0) return true;
            }
        }

        foreach (var trivia in holder.DescendantTrivia())
        {
            if (trivia.IsKind(SyntaxKind.DisabledTextTrivia) && trivia.ToString().Contains("TaskCreationOptions")) return true;
        }

        return false;
    }

    private static bool IsContinuationOptions(IOperation value, KnownSymbols symbols)
    {
        return OperationFacts.StripConversions(value, implicitOnly: true).Type is { } type && SymbolEqualityComparer.Default.Equals(type, symbols.TaskContinuationOptions);
    }
}
