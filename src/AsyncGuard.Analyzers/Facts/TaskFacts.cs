using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AsyncGuard;

/// <summary>
/// What the rules ask about tasks and task-valued expressions: which types carry a result,
/// what an awaitable yields, and whether an expression is a task that is complete by construction.
/// </summary>
internal static class TaskFacts
{
    /// <summary><c>Task&lt;T&gt;</c> or <c>ValueTask&lt;T&gt;</c>: the types whose <c>.Result</c> blocks.</summary>
    public static bool IsResultType(INamedTypeSymbol? type, KnownSymbols symbols) =>
        type is not null
        && (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, symbols.TaskOfT)
            || SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, symbols.ValueTaskOfT));

    /// <summary>The awaitables <c>ConfigureAwait</c> returns (task and value-task, with and without a result).</summary>
    public static bool IsConfiguredAwaitable(ITypeSymbol? type, KnownSymbols symbols) =>
        type is INamedTypeSymbol named
        && (SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, symbols.ConfiguredTaskAwaitable)
            || SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, symbols.ConfiguredTaskAwaitableOfT)
            || SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, symbols.ConfiguredValueTaskAwaitable)
            || SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, symbols.ConfiguredValueTaskAwaitableOfT));

    /// <summary>
    /// <c>t.ConfigureAwait(x)</c> gives <c>t</c>, also for the extension form on sequences and
    /// disposables (<c>reader.ReadAllAsync(token).ConfigureAwait(false)</c>); conversions are
    /// stripped on both sides.
    /// </summary>
    public static IOperation StripConfigureAwait(IOperation operation)
    {
        operation = OperationFacts.StripConversions(operation);
        return operation switch
        {
            IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } instance } => OperationFacts.StripConversions(instance),
            IInvocationOperation { TargetMethod: { Name: "ConfigureAwait", IsExtensionMethod: true }, Instance: null, Arguments: { Length: > 0 } arguments } => OperationFacts.StripConversions(arguments[0].Value),
            _ => operation,
        };
    }

    /// <summary>
    /// The one recogniser of "this expression is a completed task": <c>Task.FromResult(x)</c>,
    /// <c>FromException</c>, <c>FromCanceled</c>, <c>Task.CompletedTask</c>, <c>default(ValueTask)</c>,
    /// <c>new ValueTask&lt;T&gt;(value)</c> (not over a task), each on a BCL task type, under
    /// conversions and <c>ConfigureAwait</c>.
    /// </summary>
    public static bool IsCompletedTask(IOperation operation, KnownSymbols symbols)
    {
        operation = StripConfigureAwait(operation);
        return operation switch
        {
            IInvocationOperation { TargetMethod: { IsStatic: true, Name: "FromResult" or "FromException" or "FromCanceled" } method }
                => symbols.IsTaskType(method.ContainingType),
            IPropertyReferenceOperation { Property: { IsStatic: true, Name: "CompletedTask" } property }
                => symbols.IsTaskType(property.ContainingType),
            IDefaultValueOperation { Type: { } type } => symbols.IsTaskType(type) && type.IsValueType,
            IObjectCreationOperation { Type: { IsValueType: true } type, Arguments: var arguments }
                => symbols.IsTaskType(type) && (arguments.Length == 0 || !symbols.IsTaskType(arguments[0].Value.Type)),
            IFieldReferenceOperation { Field: { } field } => symbols.IsTaskType(field.Type) && HoldsOnlyCompletedTasks(field),
            IInvocationOperation { TargetMethod: { } method } => symbols.IsTaskType(method.ReturnType) && ReturnsOnlyCompletedTasks(method),
            IConditionalAccessInstanceOperation instance => ConditionalReceiver(instance) is { } receiver && IsCompletedTask(receiver, symbols),
            _ => false,
        };
    }

    private static readonly ConditionalWeakTable<ISymbol, StrongBox<bool>> CompletedSources = new();

    // The receiver 'x' of 'x?.Result', which the conditional access evaluates once.
    private static IOperation? ConditionalReceiver(IConditionalAccessInstanceOperation instance)
    {
        for (var parent = instance.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is IConditionalAccessOperation access) return access.Operation;
        }

        return null;
    }

    /// <summary>
    /// A private task field of a source type that is only ever given completed tasks (or null):
    /// <c>_last = Task.FromResult(n)</c>, a cached <c>Task.CompletedTask</c>. Read from the syntax
    /// of the type, once per field; a field passed by <c>ref</c> or <c>out</c> is not proven.
    /// </summary>
    private static bool HoldsOnlyCompletedTasks(IFieldSymbol field) =>
        field.DeclaredAccessibility == Accessibility.Private && !field.IsConst
        && CompletedSources.GetValue(field, static f => new StrongBox<bool>(ScanField((IFieldSymbol)f))).Value;

    private static bool ScanField(IFieldSymbol field)
    {
        var assigned = false;
        foreach (var reference in field.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is VariableDeclaratorSyntax { Initializer.Value: { } initializer })
            {
                if (!IsCompletedSyntax(initializer)) return false;
                assigned = true;
            }
        }

        foreach (var type in field.ContainingType.DeclaringSyntaxReferences)
        {
            foreach (var (_, value) in SingleAssignment.Writes(type.GetSyntax(), field.Name))
            {
                if (value is null || !IsCompletedSyntax(value)) return false;
                assigned = true;
            }
        }

        return assigned;
    }

    /// <summary>
    /// A non-async, non-overridable method of this compilation whose every return is a completed
    /// task: <c>Task CreateErrorTask(string m) { Log(m); return Task.FromException(new X(m)); }</c>.
    /// </summary>
    private static bool ReturnsOnlyCompletedTasks(IMethodSymbol method)
    {
        method = method.OriginalDefinition;
        if (method.IsAsync || method.IsAbstract || method.IsExtern || method.MethodKind is not (MethodKind.Ordinary or MethodKind.LocalFunction)) return false;
        if ((method.IsVirtual || method.IsOverride) && !method.IsSealed && !method.ContainingType.IsSealed) return false;
        if (method.DeclaringSyntaxReferences.Length != 1) return false;
        return CompletedSources.GetValue(method, static m => new StrongBox<bool>(ScanMethod(m.DeclaringSyntaxReferences[0].GetSyntax()))).Value;
    }

    private static bool ScanMethod(SyntaxNode declaration)
    {
        var (body, arrow) = declaration switch
        {
            MethodDeclarationSyntax m => (m.Body, m.ExpressionBody),
            LocalFunctionStatementSyntax l => (l.Body, l.ExpressionBody),
            _ => (null, null),
        };
        if (arrow is not null) return IsCompletedSyntax(arrow.Expression);
        if (body is null) return false;
        var returns = 0;
        foreach (var node in body.DescendantNodes(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)))
        {
            switch (node)
            {
                case YieldStatementSyntax:
                    return false;
                case ReturnStatementSyntax { Expression: { } expression }:
                    if (!IsCompletedSyntax(expression)) return false;
                    returns++;
                    break;
            }
        }

        return returns > 0;
    }

    // Task.FromResult(x), Task.FromException(e), Task.FromCanceled(t), Task.CompletedTask (also on
    // ValueTask, also qualified), default and null: read from syntax, where no model is at hand.
    private static bool IsCompletedSyntax(ExpressionSyntax expression)
    {
        while (expression is ParenthesizedExpressionSyntax or CastExpressionSyntax or PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.SuppressNullableWarningExpression })
        {
            expression = expression switch
            {
                ParenthesizedExpressionSyntax p => p.Expression,
                CastExpressionSyntax c => c.Expression,
                PostfixUnaryExpressionSyntax u => u.Operand,
                _ => expression,
            };
        }

        if (expression.IsKind(SyntaxKind.NullLiteralExpression) || expression.IsKind(SyntaxKind.DefaultLiteralExpression)) return true;
        var access = expression switch
        {
            InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax m } => m,
            MemberAccessExpressionSyntax m when m.Name.Identifier.ValueText == "CompletedTask" => m,
            _ => null,
        };
        if (access is null || access.Name.Identifier.ValueText is not ("FromResult" or "FromException" or "FromCanceled" or "CompletedTask")) return false;
        var owner = access.Expression switch
        {
            IdentifierNameSyntax i => i.Identifier.ValueText,
            GenericNameSyntax g => g.Identifier.ValueText,
            MemberAccessExpressionSyntax { Name: SimpleNameSyntax n } => n.Identifier.ValueText,
            _ => null,
        };
        return owner is "Task" or "ValueTask";
    }

    /// <summary>The type an <c>await</c> of <paramref name="type"/> yields: T of a task type, or the awaiter's GetResult type; null for none.</summary>
    public static ITypeSymbol? AwaitedType(ITypeSymbol type, KnownSymbols symbols)
    {
        if (type is INamedTypeSymbol named && symbols.IsTaskType(named))
        {
            for (INamedTypeSymbol? current = named; current is not null; current = current.BaseType)
            {
                if (current.TypeArguments.Length == 1) return current.TypeArguments[0];
            }

            return null;
        }

        var getAwaiter = type.GetMembers("GetAwaiter").OfType<IMethodSymbol>().FirstOrDefault(m => m.Parameters.Length == 0);
        return getAwaiter?.ReturnType.GetMembers("GetResult").OfType<IMethodSymbol>().FirstOrDefault(m => m.Parameters.Length == 0)?.ReturnType;
    }
}
