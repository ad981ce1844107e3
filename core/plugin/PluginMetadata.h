#pragma once

#include "common/Expected.h"
#include "common/Task.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace twb {

/// The JSON half of the plugin contract, read from a library without loading it.
///
/// A model plugin embeds `Q_PLUGIN_METADATA(IID "org.twb.ModelPlugin/<major>" FILE "x.json")`
/// with x.json = {"id": "patchtst", "name": "PatchTST", "version": "1.0.0", "api": 1,
///                "tasks": ["forecast", "reconstruct"]}.
/// "api" is the plugin API the plugin was built for: a number or a "major.minor" string whose
/// major must equal the major of the IID.
struct PluginMetadata
{
    QString iid;
    int apiMajor = 0;
    QString id;
    QString name;
    QString version;
    QList<Task> tasks;

    QStringList taskNames() const;
};

/// The interface id prefix; the API major follows the slash.
inline constexpr char ModelPluginIidPrefix[] = "org.twb.ModelPlugin/";

/// Parses and checks what QPluginLoader::metaData() returns for one library ({"IID": ...,
/// "MetaData": {...}, ...}). An empty object means the library is not a Qt plugin.
/// Errors (reason only, no file): not a Qt plugin; another interface; an API major other than
/// ModelPluginApiMajor ("built for plugin API 2, this build supports 1"); a missing or
/// malformed field; an "api" that contradicts the IID; an unknown task name.
/// Pure function, any thread.
Expected<PluginMetadata> parsePluginMetadata(const QJsonObject &qtMetaData);

} // namespace twb
