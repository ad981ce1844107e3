#include "ModelPluginBase.h"

namespace twb {

ModelPluginBase::ModelPluginBase(QObject *parent)
    : QObject(parent)
{}

void ModelPluginBase::adoptMetadata(const PluginMetadata &metadata)
{
    std::call_once(m_adopted, [&] { m_metadata = metadata; });
}

} // namespace twb
